// The content store as a team uses it from Telegram, on both databases: what users save (a reply,
// a text, a link, a text document, a photo) is found again by /search with its matches in bold,
// opened with /get (and its buttons), kept once when saved twice, refused with the limit named when
// too large; search input full of search-language syntax is just words.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases.js';
import { png } from '../../support/images.js';

/** A user of their own for each case, so that no case runs into the flood limit of another's messages. */
let nextUser = 2000;
const newUser = () => ({ id: ++nextUser, first_name: `User ${nextUser}` });

/** The id a "Saved as …" answer names. */
function savedId(text: string): string {
  const id = /Saved as ([a-z0-9]+)/.exec(text)?.[1];
  if (!id) throw new Error(`not a saved answer: ${text}`);
  return id;
}

/** The bold parts of a message, as Telegram marks them. */
function bold(message: Message): string[] {
  const text = message.text ?? '';
  return (message.entities ?? [])
    .filter((e) => e.type === 'bold')
    .map((e) => text.slice(e.offset, e.offset + e.length));
}

describe.each(DATABASE_KINDS)('saving and finding content (%s)', (kind) => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let database: TestDatabase;
  let bed: PluginTestBed;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: database.url ? { DATABASE_URL: database.url } : {},
      enable: { content: { maxTextBytes: 2048, maxFileBytes: 4096 } },
    });
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  async function save(user: { id: number; first_name: string }, text: string, options = ''): Promise<string> {
    const message = bed.push(text, user);
    await bed.pop({ userId: user.id }); // the conversation engine's answer to a plain message
    bed.push(`/save ${options}`.trim(), user, { replyTo: message.message_id });
    return savedId(await bed.popText({ userId: user.id }));
  }

  it('saves a replied-to message with tags and finds it by a word of it, the match in bold', async () => {
    const ADA = newUser();
    const id = await save(
      ADA,
      'Calendar change\nThe quarterly budget review moves to Thursday afternoon',
      '#finance #meetings',
    );
    bed.push('/search budget', ADA);
    const results = await bed.pop({ userId: ADA.id });
    expect(results.text).toContain('Calendar change');
    expect(results.text).toContain('The quarterly budget review');
    expect(results.text).toContain(id);
    expect(results.text).toContain('#finance #meetings');
    expect(bold(results).map((b) => b.toLowerCase())).toContain('budget');

    bed.push(`/get ${id}`, ADA);
    const shown = await bed.popText({ userId: ADA.id });
    expect(shown).toContain('The quarterly budget review moves to Thursday afternoon');
  });

  it('saves a text written after /save, and a link with its address as the source', async () => {
    const ADA = newUser();
    bed.push('/save team #ideas Rename the staging cluster to avoid confusion', ADA);
    expect(await bed.popText({ userId: ADA.id })).toMatch(/^Saved as [a-z0-9]+ \(team\), tagged #ideas\.$/);
    const id = await save(ADA, 'Release notes: https://example.org/releases/42');
    bed.push(`/get ${id}`, ADA);
    const shown = await bed.popText({ userId: ADA.id });
    expect(shown).toContain('link');
    expect(shown).toContain('https://example.org/releases/42');
  });

  it('saves what a user forwards to it, naming whom it came from', async () => {
    const ADA = newUser();
    bed.forward(
      'Compiler meetup moved to room 42',
      { type: 'user', sender_user: { id: 77, is_bot: false, first_name: 'Grace', last_name: 'Hopper' } },
      { user: ADA },
    );
    const id = savedId(await bed.popText({ userId: ADA.id }));
    bed.push(`/get ${id}`, ADA);
    const shown = await bed.popText({ userId: ADA.id });
    expect(shown).toContain('forwarded from Grace Hopper');
    expect(shown).toContain('Compiler meetup moved to room 42');
  });

  it('filters by tag and type, and opens a result with its button', async () => {
    const ADA = newUser();
    await save(ADA, 'Staging database credentials rotate monthly', '#ops');
    await save(ADA, 'Staging party photos are in the shared drive', '#social');
    bed.push('/search staging #ops', ADA);
    const results = await bed.pop({ userId: ADA.id });
    expect(results.text).toContain('credentials');
    expect(results.text).not.toContain('party');
    await bed.press(results, '1', { user: ADA });
    expect(await bed.popText({ userId: ADA.id })).toContain('Staging database credentials rotate monthly');
    bed.push('/search staging type:photo', ADA);
    expect(await bed.popText({ userId: ADA.id })).toBe('Nothing you can see matches that.');
  });

  it('keeps what is saved twice once', async () => {
    const ADA = newUser();
    const first = await save(ADA, 'A note saved twice stays one item');
    const second = await save(ADA, 'A note saved twice stays one item', '#again');
    expect(second).toBe(first);
    bed.push('/search saved twice', ADA);
    const results = await bed.pop({ userId: ADA.id });
    expect(results.text?.match(new RegExp(first, 'g'))).toHaveLength(1);
    expect(results.text).toContain('#again');
  });

  it('refuses a text over the limit, naming it, and keeps nothing', async () => {
    const ADA = newUser();
    const long = `oversized ${'word '.repeat(500)}`;
    const message = bed.push(long, ADA);
    await bed.pop({ userId: ADA.id });
    bed.push('/save', ADA, { replyTo: message.message_id });
    expect(await bed.popText({ userId: ADA.id })).toBe('That is too large to keep: the limit is 2 KiB.');
    bed.push('/search oversized', ADA);
    expect(await bed.popText({ userId: ADA.id })).toBe('Nothing you can see matches that.');
  });

  it('searches a text document by what is in it, and sends the document back on /get', async () => {
    const ADA = newUser();
    const document = bed.pushDocument(
      Buffer.from('Minutes of the board meeting: the merger with Globex is approved.'),
      'minutes.txt',
      {
        user: ADA,
        mimeType: 'text/plain',
      },
    );
    bed.push('/save #board', ADA, { replyTo: document.message_id });
    const id = savedId(await bed.popText({ userId: ADA.id }));
    bed.push('/search globex merger', ADA);
    expect(await bed.popText({ userId: ADA.id })).toContain(id);
    bed.push(`/get ${id}`, ADA);
    const back = await bed.pop({ userId: ADA.id });
    expect(back.document?.file_name).toBe('minutes.txt');
    expect((await bed.download(back.document as { file_id: string })).toString()).toContain('Globex');
  });

  it('keeps a file over maxFileBytes by its file_id only, and a photo by its own', async () => {
    const ADA = newUser();
    const big = bed.pushDocument(Buffer.alloc(8192, 'x'), 'big.txt', {
      user: ADA,
      mimeType: 'text/plain',
      caption: 'bigfile',
    });
    bed.push('/save', ADA, { replyTo: big.message_id });
    const bigId = savedId(await bed.popText({ userId: ADA.id }));
    const photo = bed.pushPhoto(png(40, 30), { user: ADA, caption: 'Whiteboard after the planning session' });
    bed.push('/save', ADA, { replyTo: photo.message_id });
    const photoId = savedId(await bed.popText({ userId: ADA.id }));
    const admin = await bed.admin();
    const page = await admin.get(`/admin/plugins/content/items/${bigId}`);
    expect(page.body).toContain('(at Telegram)');
    bed.push(`/get ${photoId}`, ADA);
    const back = await bed.pop({ userId: ADA.id });
    expect(back.photo?.length).toBeGreaterThan(0);
    expect(back.caption).toContain('Whiteboard after the planning session');
  });

  it.each(['"unbalanced', 'NEAR(a b) OR AND NOT', "title:x* ^y -z ' \\ ( ) :* & | ! <-> @@", '* * *', '💥 ünïcödé ẞ'])(
    'treats %j as words, never as syntax',
    async (query) => {
      const ADA = newUser();
      bed.push(`/search ${query}`, ADA);
      const answer = await bed.popText({ userId: ADA.id });
      expect(answer === 'Nothing you can see matches that.' || answer.startsWith('Item')).toBe(true);
    },
  );
});
