// The export archive read back with the tar package: Markdown files with their front matter in
// folders following the tree, the index in both forms, long and hostile names made safe.
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ContentItem } from '../../../src/builtin-plugins/content/service.js';
import { type ArchiveEntry, exportArchive, safeSegment } from '../../../src/builtin-plugins/filing/archive.js';

function item(id: string, title: string, extra: Partial<ContentItem> = {}): ContentItem {
  return {
    id,
    kind: 'text',
    title,
    source: null,
    tags: [],
    owner: 1,
    visibility: 'private',
    shares: [],
    createdAt: Date.UTC(2026, 10, 1, 12),
    size: 0,
    storedSize: 0,
    ...extra,
  };
}

/** Every file of a tar.gz stream, by name. */
async function unpack(archive: Readable): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.set(entry.path, Buffer.concat(chunks).toString('utf8')));
    },
  });
  await new Promise<void>((resolve, reject) => {
    archive.on('error', reject);
    parser.on('error', reject);
    parser.on('end', resolve);
    archive.pipe(parser);
  });
  return files;
}

async function* entries(list: ArchiveEntry[]) {
  yield* list;
}

describe('the export archive', () => {
  it('holds one Markdown file per item in its folder, with front matter, and the index', async () => {
    const files = await unpack(
      exportArchive(
        entries([
          {
            folder: 'acme/engineering',
            item: item('k3m9x2qa', 'Design: the API', { tags: ['api', 'v2'], source: 'https://example.com/a' }),
            text: 'The API is *small*.',
          },
          { folder: 'acme/engineering/backend', item: item('p0q1r2s3', 'Runbook'), text: 'Restart it.\n' },
        ]),
        'acme',
        'acme/engineering',
      ),
    );
    expect([...files.keys()].sort()).toEqual([
      'acme/acme/engineering/Design-the-API-k3m9x2qa.md',
      'acme/acme/engineering/backend/Runbook-p0q1r2s3.md',
      'acme/index.json',
      'acme/index.md',
    ]);
    const design = files.get('acme/acme/engineering/Design-the-API-k3m9x2qa.md') as string;
    const [, front, body] = design.split(/^---\n|\n---\n/m);
    expect(parse(front as string)).toEqual({
      id: 'k3m9x2qa',
      title: 'Design: the API',
      tags: ['api', 'v2'],
      source: 'https://example.com/a',
      created: '2026-11-01T12:00:00.000Z',
    });
    expect(body).toBe('\nThe API is *small*.\n');
    const index = JSON.parse(files.get('acme/index.json') as string);
    expect(index.title).toBe('acme/engineering');
    expect(index.items.map((row: { file: string }) => row.file)).toEqual([
      'acme/engineering/Design-the-API-k3m9x2qa.md',
      'acme/engineering/backend/Runbook-p0q1r2s3.md',
    ]);
    expect(files.get('acme/index.md')).toContain('| [Design: the API](acme/engineering/Design-the-API-k3m9x2qa.md) |');
  });

  it('never names a file outside its folder, and keeps names longer than a tar header holds', async () => {
    const long = 'x'.repeat(200);
    const files = await unpack(
      exportArchive(
        entries([
          { folder: '../../etc', item: item('../id', '/etc/passwd'), text: 'a' },
          { folder: `${long}/${long}`, item: item('abc', 'Ünïcode — 研究'), text: 'b' },
        ]),
        '/root',
        'all',
      ),
    );
    const names = [...files.keys()];
    for (const name of names) {
      expect(name.startsWith('/')).toBe(false);
      expect(name.split('/')).not.toContain('..');
    }
    expect(names).toContain('root/_/_/etc/etc-passwd-id.md');
    expect(names.some((name) => name.endsWith('/Ünïcode-研究-abc.md') && name.length > 155)).toBe(true);
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('.hidden')).toBe('hidden');
  });

  it('ends the stream with the error when reading the items fails', async () => {
    async function* failing(): AsyncGenerator<ArchiveEntry> {
      yield { folder: 'a', item: item('a1', 'one'), text: 'x' };
      throw new Error('the store went away');
    }
    await expect(unpack(exportArchive(failing(), 'a', 'a'))).rejects.toThrow('the store went away');
  });
});
