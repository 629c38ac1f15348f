// What ctx.search accepts, checked with zod: records, patches, queries and filters. A refusal is a
// catalogue error naming the field (SEARCH_INVALID_RECORD, SEARCH_INVALID_QUERY).
import { type ZodType, z } from 'zod';
import { type ErrorCode, OmniError } from '../../errors.js';

const MAX_TEXT_BYTES = 1024 * 1024;
const MAX_DATA_BYTES = 16 * 1024;
const MAX_VECTOR_LENGTH = 8192;

/** Names and labels: PostgreSQL text holds no NUL character. */
const name = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !text.includes('\u0000'), 'holds a NUL character');
const label = name(200);
/** Indexed text: NUL characters become spaces (PostgreSQL refuses them; no word holds one). */
const withoutNul = (text: string) => text.replaceAll('\u0000', ' ');
const title = z.string().max(4096).transform(withoutNul);
const labels = z.array(label).max(100);
const epochMs = z.number().int().min(0).max(8.64e15);
const owner = z.number().int().safe();
const vector = z.array(z.number().finite()).min(1).max(MAX_VECTOR_LENGTH);

const data = z.unknown().transform((value, ctx) => {
  let json: string | undefined;
  try {
    json = JSON.stringify(value ?? null);
  } catch {}
  if (json === undefined) {
    ctx.addIssue({ code: 'custom', message: 'is not JSON' });
    return z.NEVER;
  }
  if (Buffer.byteLength(json) > MAX_DATA_BYTES) {
    ctx.addIssue({ code: 'custom', message: 'is over 16 KiB as JSON' });
    return z.NEVER;
  }
  return json;
});

export const recordId = name(128);

export const recordInput = z.strictObject({
  id: recordId,
  title: title.optional(),
  text: z
    .string()
    .refine((text) => Buffer.byteLength(text) <= MAX_TEXT_BYTES, 'is over 1 MiB')
    .transform(withoutNul),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/)
    .optional(),
  kind: name(64).optional(),
  owner: owner.optional(),
  tags: labels.optional(),
  access: labels.optional(),
  createdAt: epochMs.optional(),
  data: data.optional(),
  vector: vector.optional(),
});
export type RecordInput = z.output<typeof recordInput>;

export const patchInput = z.strictObject({
  title: title.optional(),
  kind: name(64).optional(),
  owner: owner.optional(),
  tags: labels.optional(),
  access: labels.optional(),
  data: data.optional(),
});

export const filterInput = z.strictObject({
  tags: labels.optional(),
  kind: name(64).optional(),
  owner: owner.optional(),
  after: epochMs.optional(),
  before: epochMs.optional(),
  audience: labels.readonly().optional(),
});
export type FilterInput = z.output<typeof filterInput>;

export const queryInput = filterInput.extend({
  text: z.string().max(4096).optional(),
  vector: vector.readonly().optional(),
  minSimilarity: z.number().min(-1).max(1).default(-1),
  limit: z.number().int().min(1).max(100).default(10),
  offset: z.number().int().min(0).max(10_000).default(0),
});
export type QueryInput = z.output<typeof queryInput>;

/** `value` as `schema` reads it, or the catalogue error `code` naming the first wrong field. */
export function checked<T extends ZodType>(schema: T, value: unknown, code: ErrorCode): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new OmniError(code, `${issue?.path.join('.') || '(the value)'} ${issue?.message}`);
}
