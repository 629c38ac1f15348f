// `omnicore content export|import`: every item as one JSON line — its fields, its text, and the bytes
// of its file when the store keeps them — out to a file or stdout, and back in from a file or stdin,
// a line at a time so that memory stays flat whatever the size. Items whose id is present are left
// as they are; a bad line is named and skipped, and makes the import exit 1.

import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { CliCall, PluginContext } from '../../plugins/api.js';
import type { ContentConfig } from './config.js';
import { itemData, KINDS } from './item-record.js';
import type { Store } from './store.js';

const line = z.object({
  id: z.string().regex(/^[a-z0-9]{1,32}$/),
  kind: z.enum(KINDS),
  title: z.string().max(1000),
  source: z.string().max(2000).nullable().default(null),
  tags: z.array(z.string().max(40)).max(20).default([]),
  owner: z.number().int(),
  visibility: z.enum(['private', 'team', 'public']),
  shares: z.array(z.string().max(100)).max(1000).default([]),
  createdAt: z.number().int().min(0),
  language: z.string().max(10).optional(),
  text: z.string(),
  file: z
    .object({
      fileId: z.string().min(1).max(500),
      fileName: z.string().max(500).optional(),
      mimeType: z.string().max(200).optional(),
      size: z.number().int().min(0).optional(),
      /** The file's bytes, base64, when the store kept them. */
      bytes: z.string().optional(),
    })
    .optional(),
});

type Line = z.input<typeof line>;

export function transferVerbs(ctx: PluginContext<ContentConfig, string>, store: Store): void {
  ctx.cli.verb('export', {
    summary: 'every item as JSON Lines, to --out FILE or stdout',
    usage: 'usage: omnicore content export [--out FILE]',
    run: (call) => exportItems(ctx, store, call),
  });
  ctx.cli.verb('import', {
    summary: 'items from JSON Lines (an export), from FILE or stdin',
    usage: 'usage: omnicore content import [FILE]',
    run: (call) => importItems(store, call),
  });
}

async function exportItems(ctx: PluginContext<ContentConfig, string>, store: Store, call: CliCall): Promise<number> {
  const { values, positionals } = parseArgs({
    args: call.args,
    options: { out: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 0) call.usage(`unexpected argument "${positionals[0]}"`);
  const out: Writable = values.out ? createWriteStream(values.out, { flags: 'wx' }) : call.stdout;
  const total = await ctx.search.count();
  let done = 0;
  for await (const record of ctx.search.scan()) {
    const data = itemData.parse(record.data);
    const text = (await store.text(record.id)) ?? '';
    const bytes = data.file?.blob ? await store.fileBytes(record.id) : undefined;
    const { blob: _kept, ...file } = data.file ?? { fileId: '' };
    const entry: Line = {
      id: record.id,
      kind: record.kind as Line['kind'],
      title: record.title,
      source: data.source,
      tags: record.tags,
      owner: record.owner ?? 0,
      visibility: data.visibility,
      shares: data.shares,
      createdAt: record.createdAt,
      language: record.language,
      text,
      ...(data.file ? { file: { ...file, ...(bytes ? { bytes: bytes.toString('base64') } : {}) } } : {}),
    };
    if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, 'drain');
    call.progress(++done, total);
  }
  if (out !== call.stdout) {
    out.end();
    await once(out, 'finish');
  }
  return 0;
}

async function importItems(store: Store, call: CliCall): Promise<number> {
  const [file, ...extra] = call.args;
  if (extra.length > 0) call.usage(`unexpected argument "${extra[0]}"`);
  const input = file ? createReadStream(file) : call.stdin;
  const total = file ? statSync(file).size : undefined;
  let bytesRead = 0;
  let number = 0;
  const counts = { imported: 0, present: 0, refused: 0 };
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    bytesRead += Buffer.byteLength(text) + 1;
    if (!text.trim()) continue;
    const problem = await importLine(store, text, counts);
    if (problem) {
      counts.refused++;
      process.stderr.write(`line ${number}: ${problem}\n`);
    }
    call.progress(total ? bytesRead : number, total);
  }
  call.stdout.write(`${counts.imported} imported, ${counts.present} already present, ${counts.refused} refused\n`);
  return counts.refused > 0 ? 1 : 0;
}

/** Imports one line; what was wrong with it, if anything. */
async function importLine(
  store: Store,
  text: string,
  counts: { imported: number; present: number },
): Promise<string | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `${issue?.path.join('.') || 'line'}: ${issue?.message}`;
  }
  const entry = parsed.data;
  if (await store.get(entry.id)) {
    counts.present++;
    return undefined;
  }
  const { bytes, ...file } = entry.file ?? { fileId: '' };
  try {
    await store.save({
      id: entry.id,
      kind: entry.kind,
      title: entry.title,
      text: entry.text,
      source: entry.source,
      owner: entry.owner,
      tags: entry.tags,
      visibility: entry.visibility,
      shares: entry.shares,
      createdAt: entry.createdAt,
      ...(entry.language ? { language: entry.language } : {}),
      ...(entry.file ? { file } : {}),
      ...(bytes ? { fileBytes: Buffer.from(bytes, 'base64') } : {}),
    });
  } catch (error) {
    return (error as Error).message;
  }
  counts.imported++;
  return undefined;
}
