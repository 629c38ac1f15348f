// `omnicore content export|import` through the real process: what a team saved on SQLite goes out
// as JSON Lines and comes back into PostgreSQL with its ids, tags, visibility, texts and kept files;
// a second import changes nothing; bad lines are named and skipped with exit 1, the good ones kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { assertBuilt, spawnOmnicore } from '../../support/processes.js';

const ADA = { id: 4001, first_name: 'Ada' };

function content(args: string[], env: Record<string, string>) {
  const run = spawnOmnicore(['content', ...args], { PORT: '1', LOG_LEVEL: 'silent', ...env }, 60_000);
  run.child.stdin?.end();
  return run.finished;
}

describe('moving the content store between installations', () => {
  const from = mkdtempSync(path.join(tmpdir(), 'omnicore-content-from-'));
  const to = mkdtempSync(path.join(tmpdir(), 'omnicore-content-to-'));
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const exported = path.join(from, 'export.jsonl');
  let postgres: TestDatabase;
  const ids: string[] = [];

  async function bed(dataDir: string, env: Record<string, string> = {}): Promise<PluginTestBed> {
    return createPluginTestBed({ pluginsDir, env: { DATA_DIR: dataDir, ...env }, enable: { content: true } });
  }

  beforeAll(async () => {
    assertBuilt();
    postgres = await createTestDatabase('postgres');
    const source = await bed(from);
    try {
      for (const text of ['public #plans Roadmap for the spring release', 'private Passwords rotate on Mondays']) {
        source.push(`/save ${text}`, ADA);
        ids.push(/Saved as ([a-z0-9]+)/.exec(await source.popText({ userId: ADA.id }))?.[1] ?? '');
      }
      const document = source.pushDocument(Buffer.from('Inventory: 40 chairs, 12 desks'), 'inventory.txt', {
        user: ADA,
        mimeType: 'text/plain',
      });
      source.push('/save team', ADA, { replyTo: document.message_id });
      ids.push(/Saved as ([a-z0-9]+)/.exec(await source.popText({ userId: ADA.id }))?.[1] ?? '');
    } finally {
      await source.close();
    }
  });

  afterAll(async () => {
    await postgres?.dispose();
    for (const dir of [from, to, pluginsDir]) rmSync(dir, { recursive: true, force: true });
  });

  it('exports every item as one JSON line, with its text and kept file', async () => {
    const result = await content(['export', '--out', exported], { DATA_DIR: from });
    expect(result.stderr).toContain('3/3');
    expect(result.code).toBe(0);
    const lines = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id).sort()).toEqual([...ids].sort());
    const roadmap = lines.find((line) => line.id === ids[0]);
    expect(roadmap).toMatchObject({
      visibility: 'public',
      tags: ['plans'],
      text: 'Roadmap for the spring release',
      owner: ADA.id,
    });
    const inventory = lines.find((line) => line.id === ids[2]);
    expect(Buffer.from(inventory.file.bytes, 'base64').toString()).toBe('Inventory: 40 chairs, 12 desks');
  });

  it('imports them into another database once, and they are found there', async () => {
    const env = { DATA_DIR: to, DATABASE_URL: postgres.url ?? '' };
    const first = await content(['import', exported], env);
    expect(first.stdout.trim()).toBe('3 imported, 0 already present, 0 refused');
    expect(first.code).toBe(0);
    const again = await content(['import', exported], env);
    expect(again.stdout.trim()).toBe('0 imported, 3 already present, 0 refused');

    const target = await bed(to, { DATABASE_URL: postgres.url ?? '' });
    try {
      target.push('/search roadmap spring', ADA);
      expect(await target.popText({ userId: ADA.id })).toContain(ids[0]);
      target.push('/search chairs', ADA);
      expect(await target.popText({ userId: ADA.id })).toContain(ids[2]);
      target.push('/search passwords', { id: 4002, first_name: 'Eve' });
      expect(await target.popText({ userId: 4002 })).toBe('Nothing you can see matches that.');
    } finally {
      await target.close();
    }
  });

  it('names and skips bad lines, keeps the good ones, and exits 1', async () => {
    const good = readFileSync(exported, 'utf8').trim().split('\n')[0] ?? '';
    const other = JSON.stringify({ ...JSON.parse(good), id: 'fresh001' });
    const bad = path.join(from, 'bad.jsonl');
    writeFileSync(bad, [other, '{not json', JSON.stringify({ id: 'x', kind: 'video' }), ''].join('\n'));
    const result = await content(['import', bad], { DATA_DIR: mkdtempSync(path.join(from, 'fresh-')) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('line 2: not JSON');
    expect(result.stderr).toMatch(/line 3: kind: /);
    expect(result.stdout.trim()).toBe('1 imported, 0 already present, 2 refused');
  });

  it('refuses bad usage with exit 2', async () => {
    const result = await content(['export', 'extra'], { DATA_DIR: from });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unexpected argument "extra"');
  });
});
