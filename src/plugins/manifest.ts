// Checks a plugin's manifest at registration, before any of its code runs, with a specific reason
// for each way it can be wrong.
import semver from 'semver';
import { z } from 'zod';
import { OmniError } from '../errors.js';
import type { PluginDefinition } from './api.js';

export const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,39}$/;

const pluralForms = z.strictObject({
  zero: z.string().optional(),
  one: z.string().optional(),
  two: z.string().optional(),
  few: z.string().optional(),
  many: z.string().optional(),
  other: z.string(),
});

/** English is the reference: a key only another language has would never be the fallback's. */
const stringsSchema = z
  .record(
    z.string().regex(/^[a-z]{2,3}$/, 'must be a language code such as de'),
    z.record(z.string(), z.union([z.string(), pluralForms])),
  )
  .superRefine((tables, ctx) => {
    const reference = tables.en;
    if (!reference) {
      ctx.addIssue({ code: 'custom', message: 'must have en, the reference language' });
      return;
    }
    for (const [language, table] of Object.entries(tables)) {
      for (const key of Object.keys(table))
        if (!Object.hasOwn(reference, key))
          ctx.addIssue({ code: 'custom', path: [language, key], message: 'is not in en' });
    }
  });

const manifestSchema = z.object({
  name: z.string().regex(PLUGIN_NAME, 'must be 1-40 characters of a-z, 0-9 and -, starting with a letter'),
  version: z.string().refine((value) => semver.valid(value) !== null, 'must be a semver version such as 1.0.0'),
  description: z.string().min(1).max(256),
  platform: z.string().refine((value) => semver.validRange(value) !== null, 'must be a semver range such as ^0.1.0'),
  dependsOn: z.array(z.string().regex(PLUGIN_NAME)).optional(),
  configSchema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, 'must be a zod schema').optional(),
  strings: stringsSchema.optional(),
  setup: z.custom<PluginDefinition['setup']>((value) => typeof value === 'function', 'must be a function'),
});

/** The definition, checked; throws OmniError PLUGIN_INVALID_MANIFEST naming the field. */
export function checkManifest(candidate: unknown, where: string): PluginDefinition {
  const parsed = manifestSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OmniError('PLUGIN_INVALID_MANIFEST', `${where}: ${issue?.path.join('.') || 'export'} ${issue?.message}`);
  }
  return candidate as PluginDefinition;
}

export function checkPlatform(definition: PluginDefinition, platformVersion: string): void {
  if (!semver.satisfies(platformVersion, definition.platform, { includePrerelease: true })) {
    throw new OmniError(
      'PLUGIN_INCOMPATIBLE_PLATFORM',
      `${definition.name} wants OMNICore ${definition.platform}, this is ${platformVersion}`,
    );
  }
}
