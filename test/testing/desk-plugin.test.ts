// Through `omnicore/testing`, a plugin that records changes made from the bot with ctx.audit (shown
// on the panel's audit page), answers forwarded messages by their forward_origin (users, hidden
// users, chats, channel posts), and answers admin routes with files: headers safe whatever the
// name, a stream that breaks mid-way charged to the plugin without taking the server down.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/db/audit-log.js';
import { writeDeskPlugin } from '../support/desk-plugin.js';

// Inside the repository, where `omnicore/plugin` resolves as it does for an installed package.
const pluginsDir = fileURLToPath(new URL(`../../test-results/bed-desk-${process.pid}/`, import.meta.url));
let bed: PluginTestBed;

beforeAll(async () => {
  writeDeskPlugin(pluginsDir);
  bed = await createPluginTestBed({ pluginsDir, enable: { desk: true } });
});
afterAll(async () => {
  await bed?.close();
  rmSync(pluginsDir, { recursive: true, force: true });
});

describe('ctx.audit', () => {
  it('records a change made from the bot as plugin.<name>.<action>, shown on the audit page', async () => {
    bed.push('/note buy milk');
    expect(await bed.popText()).toBe('noted');
    const [entry] = await new AuditLog(bed.platform.database.db).list({ limit: 1, action: 'plugin.desk.note.add' });
    expect(entry).toMatchObject({ actor: 'telegram:1001', target: 'buy milk', details: '{"length":8}', ip: null });
    const page = await (await bed.admin()).get('/admin/audit');
    expect(page.body).toContain('plugin.desk.note.add');
    expect(page.body).toContain('telegram:1001');
  });

  it('refuses an action outside the rules, as the panel does', async () => {
    bed.push('/badaudit');
    expect(await bed.popText()).toBe(
      'refused: audit action "Bad Action!" must be 1-40 characters of a-z, 0-9, _, . and -',
    );
  });
});

describe('forwarded messages', () => {
  const ada = { id: 42, is_bot: false, first_name: 'Ada' };

  it('hands the bot forward_origin for a user, a hidden user, a chat and a channel post', async () => {
    bed.forward('read @someone_else on /later', { type: 'user', sender_user: ada, date: 1_700_000_000 });
    expect(await bed.popText()).toBe(
      'forwarded from user 42 at 1700000000: read @someone_else on /later [mention,bot_command]',
    );
    bed.forward('hello', { type: 'hidden_user', sender_user_name: 'Anonymous Ada', date: 1_700_000_001 });
    expect(await bed.popText()).toBe('forwarded from hidden Anonymous Ada at 1700000001: hello []');
    const group = bed.createGroup({ title: 'Club' });
    bed.forward(
      { text: 'bold news', entities: [{ type: 'bold', offset: 0, length: 4 }] },
      { type: 'chat', sender_chat: group, date: 5 },
    );
    expect(await bed.popText()).toBe(`forwarded from chat ${group.id} at 5: bold news [bold]`);
    const channel = bed.createChannel({ title: 'News', username: 'news_channel' });
    const post = bed.post(channel.id, 'a post');
    await bed.idle();
    const forwarded = bed.forward(post, { type: 'channel', chat: channel, message_id: post.message_id });
    expect(forwarded.forward_origin).toMatchObject({ type: 'channel', message_id: post.message_id });
    expect(forwarded.forward_origin?.date).toBeGreaterThan(1_700_000_000);
    expect(await bed.popText()).toMatch(
      new RegExp(`^forwarded from channel ${channel.id}#${post.message_id} at \\d+: a post \\[\\]$`),
    );
  });

  it('forwards a message the bot sent, its text kept and its place dropped', async () => {
    bed.push('/note photo');
    const noted = await bed.pop();
    const again = bed.forward(noted, { type: 'user', sender_user: bed.emulator.botUser });
    expect([again.text, again.from?.id, again.reply_markup]).toEqual(['noted', bed.user.id, undefined]);
    expect(await bed.popText()).toMatch(/^forwarded from user 7000000001 at \d+: noted \[\]$/);
  });

  it('refuses what Telegram could not send', () => {
    const channel = bed.createChannel({ title: 'Other' });
    expect(() => bed.forward('x', { type: 'channel', chat: channel, message_id: 999 })).toThrow(
      /message to forward not found/,
    );
    expect(() => bed.forward('', { type: 'hidden_user', sender_user_name: 'A' })).toThrow(/message text is empty/);
    expect(() => bed.forward('x', { type: 'hidden_user', sender_user_name: ' ' })).toThrow(/sender_user_name is empty/);
    expect(() => bed.forward('x', { type: 'user', sender_user: ada, date: Date.now() })).toThrow(/not in the past/);
    const privateChat = { id: 5, type: 'private', first_name: 'P' } as const;
    expect(() => bed.forward('x', { type: 'chat', sender_chat: privateChat })).toThrow(/private chat/);
  });
});

describe("admin routes' downloads", () => {
  it('sends a Buffer as an attachment with its type and an RFC 5987 name', async () => {
    const admin = await bed.admin();
    const report = await admin.get('/api/admin/plugins/desk/report');
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(report.headers['content-disposition']).toBe(
      `attachment; filename="report _ _1_.csv"; filename*=UTF-8''report%20%C3%BC%20%221%22.csv`,
    );
    expect(report.body).toBe('a,b\n1,2\n');
    const stream = await admin.get('/api/admin/plugins/desk/stream');
    expect([stream.status, stream.body, stream.headers['content-type']]).toEqual([
      200,
      'one\ntwo\n',
      'application/octet-stream',
    ]);
  });

  it('keeps a hostile name out of the headers, and charges a bad type to the plugin', async () => {
    const admin = await bed.admin();
    const hostile = await admin.get('/api/admin/plugins/desk/hostile');
    expect(hostile.status).toBe(200);
    expect(hostile.headers['set-cookie']).toBeUndefined();
    expect(hostile.headers['content-disposition']).toBe('attachment; filename="evil__Set-Cookie: x=1;.txt"');
    const badType = await admin.get('/api/admin/plugins/desk/badtype');
    expect(badType.status).toBe(500);
    expect(badType.headers['x-injected']).toBeUndefined();
    await expect
      .poll(() => bed.platform.plugins.list().find((plugin) => plugin.name === 'desk')?.lastError)
      .toMatch(/is not a media type/);
  });

  it('answers a stream that fails before its first byte as a failing handler: a plain 500', async () => {
    const dead = await (await bed.admin()).get('/api/admin/plugins/desk/dead');
    expect(dead.status).toBe(500);
    expect(dead.headers['content-disposition']).toBeUndefined();
    expect(dead.json()).toMatchObject({ ok: false, error: { code: 'OMNI_INTERNAL' } });
    expect(dead.body).not.toContain('nothing to read');
    await expect
      .poll(() => bed.platform.plugins.list().find((plugin) => plugin.name === 'desk')?.lastError)
      .toMatch(/nothing to read/);
  });

  it('ends the response when the stream breaks, charges the plugin and keeps serving', async () => {
    const admin = await bed.admin();
    const broken = await admin.get('/api/admin/plugins/desk/broken').catch((error: Error) => error);
    if (!(broken instanceof Error)) expect(broken.bytes.length).toBeLessThan(2048);
    await expect
      .poll(() => bed.platform.plugins.list().find((plugin) => plugin.name === 'desk')?.lastError)
      .toMatch(/the disk went away mid-file/);
    expect((await admin.get('/api/admin/plugins/desk/report')).status).toBe(200);
  });
});
