// How an item lives in the plugin's search index: the index's record holds the fields it filters on
// (kind, owner, tags, access labels), and `data` the rest (source, visibility, shares, where its
// text and file are kept). Read back through a schema, so that a record written by an older version
// is refused clearly rather than half-read.
import { z } from 'zod';
import type { IndexedRecord } from '../../plugins/api.js';
import type { ContentItem, Visibility } from './service.js';

export const itemData = z.object({
  v: z.literal(1),
  source: z.string().nullable(),
  visibility: z.enum(['private', 'team', 'public']),
  shares: z.array(z.string()),
  /** The blob holding the text. */
  hash: z.string(),
  size: z.number(),
  storedSize: z.number(),
  file: z
    .object({
      fileId: z.string(),
      fileName: z.string().optional(),
      mimeType: z.string().optional(),
      size: z.number().optional(),
      /** The blob holding the file's bytes, when they are kept. */
      blob: z.string().optional(),
    })
    .optional(),
  /** `<chat>:<message>` it was saved from, when it was. */
  origin: z.string().optional(),
  /** What its content hashes to: the same content saved again by its owner finds it. */
  fingerprint: z.string().optional(),
});

export type ItemData = z.output<typeof itemData>;

export const KINDS = ['text', 'link', 'photo', 'document', 'forward'] as const;
const kind = z.enum(KINDS);

/** The access labels an item carries: its owner's, its visibility's, and those it was shared with. */
export function accessLabels(owner: number, visibility: Visibility, shares: readonly string[]): string[] {
  const labels = [ownerLabel(owner), ...shares];
  if (visibility !== 'private') labels.push(visibility);
  return [...new Set(labels)];
}

export const ownerLabel = (userId: number): string => `user:${userId}`;

export function toItem(record: IndexedRecord): ContentItem {
  const data = itemData.parse(record.data);
  return {
    id: record.id,
    kind: kind.parse(record.kind),
    title: record.title,
    source: data.source,
    tags: record.tags,
    owner: record.owner ?? 0,
    visibility: data.visibility,
    shares: data.shares,
    createdAt: record.createdAt,
    size: data.size,
    storedSize: data.storedSize,
    ...(data.file
      ? {
          file: {
            fileId: data.file.fileId,
            ...(data.file.fileName ? { fileName: data.file.fileName } : {}),
            ...(data.file.mimeType ? { mimeType: data.file.mimeType } : {}),
            ...(data.file.size !== undefined ? { size: data.file.size } : {}),
            stored: data.file.blob !== undefined,
          },
        }
      : {}),
  };
}
