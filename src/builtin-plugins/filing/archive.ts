// A folder's items as a tar.gz of Markdown files, streamed: one file per item (YAML front matter:
// id, title, tags, source, created) in folders following the tree, then index.md and index.json.
// Every name is made of sanitised segments, so the archive never holds `..` or an absolute path.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header, Pax } from 'tar';
import { stringify } from 'yaml';
import type { ContentItem } from '../content/service.js';

export interface ArchiveEntry {
  /** The folder's path in the tree (slugs joined by `/`). */
  folder: string;
  item: ContentItem;
  text: string;
}

interface IndexRow {
  id: string;
  title: string;
  folder: string;
  file: string;
  tags: string[];
  created: string;
}

const BLOCK = 512;

/** A file or folder name of the archive's: letters, digits, `.`, `_` and `-`, not starting with a dot. */
export function safeSegment(raw: string, fallback = '_'): string {
  const cleaned = raw
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+/, '')
    .replace(/-+$/, '')
    .slice(0, 80);
  return cleaned.length > 0 ? cleaned : fallback;
}

const safePath = (path: string): string =>
  path
    .split('/')
    .filter(Boolean)
    .map((segment) => safeSegment(segment))
    .join('/');

/** One file's blocks: a pax header when the name or size needs it, the ustar header, the bytes padded. */
function fileBlocks(path: string, body: Buffer, mtime: Date): Buffer[] {
  const data = { path, mode: 0o644, uid: 0, gid: 0, size: body.length, mtime, type: 'File' as const };
  const header = new Header(data);
  const blocks: Buffer[] = [];
  if (header.encode()) blocks.push(new Pax(data).encode());
  blocks.push(header.block as Buffer, body);
  const padding = (BLOCK - (body.length % BLOCK)) % BLOCK;
  if (padding > 0) blocks.push(Buffer.alloc(padding));
  return blocks;
}

export function markdownOf({ item, text }: ArchiveEntry): string {
  const front = stringify({
    id: item.id,
    title: item.title,
    tags: item.tags,
    source: item.source,
    created: new Date(item.createdAt).toISOString(),
  });
  return `---\n${front}---\n\n${text}${text.endsWith('\n') ? '' : '\n'}`;
}

function indexMarkdown(title: string, rows: readonly IndexRow[]): string {
  const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = rows.map(
    (row) =>
      `| [${cell(row.title)}](${encodeURI(row.file)}) | ${cell(row.folder)} | ${row.id} | ${cell(row.tags.join(', '))} | ${row.created} |`,
  );
  return [
    `# ${title}`,
    '',
    `${rows.length} items`,
    '',
    '| title | folder | id | tags | created |',
    '|---|---|---|---|---|',
    ...lines,
    '',
  ].join('\n');
}

async function* tarBlocks(entries: AsyncIterable<ArchiveEntry>, root: string, title: string, now: Date) {
  const rows: IndexRow[] = [];
  const taken = new Set<string>();
  for await (const entry of entries) {
    const folder = safePath(entry.folder);
    const name = `${safeSegment(entry.item.title, 'item').slice(0, 60)}-${safeSegment(entry.item.id)}.md`;
    const file = folder ? `${folder}/${name}` : name;
    if (taken.has(file)) continue;
    taken.add(file);
    rows.push({
      id: entry.item.id,
      title: entry.item.title,
      folder: entry.folder,
      file,
      tags: entry.item.tags,
      created: new Date(entry.item.createdAt).toISOString(),
    });
    yield* fileBlocks(`${root}/${file}`, Buffer.from(markdownOf(entry)), new Date(entry.item.createdAt));
  }
  yield* fileBlocks(`${root}/index.md`, Buffer.from(indexMarkdown(title, rows)), now);
  yield* fileBlocks(`${root}/index.json`, Buffer.from(`${JSON.stringify({ title, items: rows }, null, 2)}\n`), now);
  yield Buffer.alloc(BLOCK * 2);
}

/**
 * The archive as a gzip stream, written as it is read: `root` is its top folder, `title` heads
 * index.md. A failure of `entries` ends the stream with that error.
 */
export function exportArchive(
  entries: AsyncIterable<ArchiveEntry>,
  root: string,
  title: string,
  now = new Date(),
): Readable {
  const gzip = createGzip();
  pipeline(Readable.from(tarBlocks(entries, safeSegment(root, 'export'), title, now)), gzip).catch(() => {
    // pipeline has destroyed the gzip stream with the error: whoever reads it sees the failure.
  });
  return gzip;
}

/** Reads a stream to its end, at most `maxBytes` (a bot's document upload). */
export async function readAll(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new RangeError(`the archive is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
