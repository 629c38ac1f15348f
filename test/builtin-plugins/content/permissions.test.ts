// Who sees what, on both databases: a private item is its owner's (and the bot admins'), a team item
// the team's, a public one everyone's — in /search, /get, its buttons and inline mode alike. An item
// someone may not see answers exactly as one that does not exist, and only its owner or an admin
// deletes it. Inline results come a page at a time, personal to who asks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';

const ADA = { id: 3001, first_name: 'Ada' };
const BOB = { id: 3002, first_name: 'Bob' };
const CY = { id: 3003, first_name: 'Cy' };
const ROOT = { id: 3009, first_name: 'Root' };
/** Saves the items the paging case needs, apart from Ada, whose own messages stay under the rate limit. */
const PAGER = { id: 3005, first_name: 'Pager' };
const NOTHING = 'Nothing you can see matches that.';

describe.each(DATABASE_KINDS)('what each reader may see (%s)', (kind) => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let database: TestDatabase;
  let bed: PluginTestBed;
  const ids: Record<'secret' | 'offsite' | 'holidays', string> = { secret: '', offsite: '', holidays: '' };

  async function ask(user: typeof ADA, text: string): Promise<string> {
    bed.push(text, user);
    return bed.popText({ userId: user.id });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: { ADMIN_TELEGRAM_IDS: String(ROOT.id), ...(database.url ? { DATABASE_URL: database.url } : {}) },
      enable: { content: { team: [BOB.id] } },
    });
    const save = async (key: keyof typeof ids, text: string) => {
      ids[key] = /Saved as ([a-z0-9]+)/.exec(await ask(ADA, `/save ${text}`))?.[1] ?? '';
    };
    await save('secret', 'private Salary bands for 2027 are confidential');
    await save('offsite', 'team Offsite agenda: hiking and retrospective');
    await save('holidays', 'public Holiday calendar for the office');
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('shows an outsider only what is public, in /search and /get', async () => {
    expect(await ask(CY, '/search salary')).toBe(NOTHING);
    expect(await ask(CY, '/search offsite agenda')).toBe(NOTHING);
    expect(await ask(CY, '/search holiday')).toContain(ids.holidays);
    const hidden = await ask(CY, `/get ${ids.secret}`);
    expect(hidden).toBe(`There is no item ${ids.secret} that you are allowed to see.`);
    expect(await ask(CY, '/get zzzzzzzz')).toBe('There is no item zzzzzzzz that you are allowed to see.');
  });

  it('shows the team what is saved for the team, but not what is private', async () => {
    expect(await ask(BOB, '/search offsite')).toContain(ids.offsite);
    expect(await ask(BOB, '/search salary')).toBe(NOTHING);
  });

  it('shows the bot admins everything, and the owner their own', async () => {
    expect(await ask(ROOT, '/search salary')).toContain(ids.secret);
    expect(await ask(ADA, '/search salary confidential')).toContain(ids.secret);
  });

  it('keeps inline answers to what the one asking may see, and personal', async () => {
    expect((await bed.inline('salary', { user: CY })).results).toEqual([]);
    const outsider = await bed.inline('', { user: CY });
    expect(outsider.results.map((result) => result.id)).toEqual([ids.holidays]);
    const owner = await bed.inline('salary', { user: ADA });
    expect(owner.results.map((result) => result.id)).toEqual([ids.secret]);
  });

  it('lets only the owner or an admin delete, and a deleted item is gone everywhere', async () => {
    expect(await ask(CY, `/delete ${ids.holidays}`)).toBe(`Only its owner or an admin may delete ${ids.holidays}.`);
    expect(await ask(CY, `/delete ${ids.secret}`)).toBe(`There is no item ${ids.secret} that you are allowed to see.`);
    expect(await ask(ADA, `/delete ${ids.holidays}`)).toBe(`Deleted ${ids.holidays}.`);
    expect(await ask(ADA, '/search holiday calendar')).toBe(NOTHING);
    expect((await bed.inline('holiday', { user: ADA })).results).toEqual([]);
  });

  it('pages inline results with next_offset, and sends the chosen one via the bot', async () => {
    for (let n = 1; n <= 23; n++) await ask(PAGER, `/save public Paging note number ${n} about lighthouses`);
    const first = await bed.inline('lighthouses', { user: CY });
    expect(first.results).toHaveLength(20);
    expect(first.nextOffset).toBe('20');
    const second = await bed.inline('lighthouses', { user: CY, offset: first.nextOffset });
    expect(second.results).toHaveLength(3);
    expect(second.nextOffset ?? '').toBe('');
    const ids = new Set([...first.results, ...second.results].map((result) => result.id));
    expect(ids.size).toBe(23);
    const sent = await bed.choose(second, second.results[0]?.id ?? '', { user: CY });
    expect(sent.text).toMatch(/^Paging note number \d+ about lighthouses$/);
  });
});
