// The instance's limits from what GET /api/v2/instance (or, on instances before 4.0, /api/v1/instance)
// says, with Mastodon's own defaults for whatever it leaves out. masto hands the keys over camelCased.
import { z } from 'zod';
import type { InstanceLimits } from './types.js';

export const MASTODON_DEFAULTS: InstanceLimits = {
  maxCharacters: 500,
  charactersReservedPerUrl: 23,
  maxMediaAttachments: 4,
  imageSizeLimit: 16 * 1024 * 1024,
  supportedMimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'image/heif', 'image/webp', 'image/avif'],
  maxPollOptions: 4,
  maxPollOptionCharacters: 50,
  minPollExpiration: 300,
  maxPollExpiration: 2_629_746,
};

const count = z.number().int().positive().optional().catch(undefined);

const configurationSchema = z
  .object({
    statuses: z
      .object({ maxCharacters: count, charactersReservedPerUrl: count, maxMediaAttachments: count })
      .partial()
      .optional()
      .catch(undefined),
    mediaAttachments: z
      .object({ imageSizeLimit: count, supportedMimeTypes: z.array(z.string()).optional().catch(undefined) })
      .partial()
      .optional()
      .catch(undefined),
    polls: z
      .object({ maxOptions: count, maxCharactersPerOption: count, minExpiration: count, maxExpiration: count })
      .partial()
      .optional()
      .catch(undefined),
  })
  .optional()
  .catch(undefined);

const instanceSchema = z.object({ configuration: configurationSchema, maxTootChars: count });

export function instanceLimits(instance: unknown): InstanceLimits {
  const parsed = instanceSchema.safeParse(instance);
  const { configuration, maxTootChars } = parsed.success ? parsed.data : {};
  const { statuses, mediaAttachments, polls } = configuration ?? {};
  const fallback = MASTODON_DEFAULTS;
  return {
    maxCharacters: statuses?.maxCharacters ?? maxTootChars ?? fallback.maxCharacters,
    charactersReservedPerUrl: statuses?.charactersReservedPerUrl ?? fallback.charactersReservedPerUrl,
    maxMediaAttachments: statuses?.maxMediaAttachments ?? fallback.maxMediaAttachments,
    imageSizeLimit: mediaAttachments?.imageSizeLimit ?? fallback.imageSizeLimit,
    supportedMimeTypes: mediaAttachments?.supportedMimeTypes ?? fallback.supportedMimeTypes,
    maxPollOptions: polls?.maxOptions ?? fallback.maxPollOptions,
    maxPollOptionCharacters: polls?.maxCharactersPerOption ?? fallback.maxPollOptionCharacters,
    minPollExpiration: polls?.minExpiration ?? fallback.minPollExpiration,
    maxPollExpiration: polls?.maxExpiration ?? fallback.maxPollExpiration,
  };
}
