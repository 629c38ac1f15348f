// The content store's configuration: how much it takes, what it downloads, who counts as the team,
// and how it compresses. Validated by the platform, so a bad value is refused with its field.
import { z } from 'zod';

const MIB = 1024 * 1024;

export const contentConfig = z.object({
  maxTextBytes: z
    .number()
    .int()
    .min(1024)
    .max(MIB)
    .default(MIB)
    .describe('The largest text (message, caption, text document) the store takes, in bytes; larger is refused'),
  downloadFiles: z
    .boolean()
    .default(true)
    .describe(
      'Keep the bytes of photos and documents up to maxFileBytes in the store, not only their Telegram file_id',
    ),
  maxFileBytes: z
    .number()
    .int()
    .min(0)
    .max(20 * MIB)
    .default(5 * MIB)
    .describe('The largest file whose bytes are kept (Telegram lets bots download up to 20 MiB)'),
  codec: z
    .enum(['br', 'gzip'])
    .default('br')
    .describe('How new items are compressed; each item keeps the codec it was stored with'),
  defaultVisibility: z
    .enum(['private', 'team', 'public'])
    .default('private')
    .describe('Who sees what users save, unless they say otherwise (/save public …)'),
  saveForwards: z.boolean().default(true).describe('Save what users forward to the bot in a private chat'),
  team: z
    .array(z.number().int().positive())
    .max(1000)
    .default([])
    .describe('Telegram user ids who see items saved for the team (the filing system adds everyone with a role)'),
  semanticSearch: z
    .boolean()
    .default(true)
    .describe('With a language model configured (OPENAI_API_KEY), embed items and rank searches by meaning too'),
  similarityFloor: z
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe('How close in meaning (cosine similarity, 0–1) an item must be to be found by meaning alone'),
});

export type ContentConfig = z.output<typeof contentConfig>;
