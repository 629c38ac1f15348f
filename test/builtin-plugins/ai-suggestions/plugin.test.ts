// The built plugin as the platform loads it from dist/builtin-plugins: usage recorded with its
// owner, /stats for admins, /suggestions with Accept / Dismiss buttons and the stored verdict.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ADMIN = { id: 1001, is_bot: false, first_name: 'Admin' };
const emptyPluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));

async function until<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the AI Suggestions built-in plugin', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir: emptyPluginsDir,
      env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) },
      enable: { 'ai-suggestions': { minUsers: 3 } },
    });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(emptyPluginsDir, { recursive: true, force: true });
  });

  it('records who handled each command, and answers /stats to admins only', async () => {
    for (const id of [2001, 2002, 2003]) {
      bed.push('/price', { id, first_name: `User ${id}` });
      expect(await bed.popText({ userId: id })).toContain("I don't know /price");
    }
    bed.push('/stats', { id: 2001, first_name: 'User' });
    expect(await bed.popText({ userId: 2001 })).toBe('That command is for the bot admins.');

    const db = bed.platform.database.db;
    const owners = await until(async () => {
      const rows = await db.selectFrom('usage_events').select(['command', 'plugin', 'outcome']).execute();
      return rows.length >= 4 ? rows : undefined;
    });
    expect(owners).toContainEqual({ command: 'price', plugin: null, outcome: 'unknown_command' });
    expect(owners).toContainEqual({ command: 'stats', plugin: 'core', outcome: 'ok' });

    bed.push('/stats', ADMIN);
    const stats = await bed.popText();
    expect(stats).toMatch(/Active users: 3 today/);
    expect(stats).toContain('Unknown commands: /price (3 users)');
  });

  it('lists suggestions with buttons, and stores the verdict an admin gives', async () => {
    bed.push('/suggestions refresh', ADMIN);
    const list = await bed.pop();
    expect(list.text).toContain('1. Add a /price command');
    expect(list.text).toContain('3 users typed /price');
    expect(list.reply_markup?.inline_keyboard[0]?.[0]?.text).toBe('✅ 1');

    expect(await bed.press(list, '✅ 1', { user: ADMIN })).toEqual({ text: 'Accepted' });
    const edited = await bed.pop();
    expect(edited.message_id).toBe(list.message_id);
    expect(edited.edit_date).toBeDefined();
    expect(edited.text).toContain('✅ 1. Add a /price command');

    const stored = await bed.platform.database.db
      .selectFrom('plugin_storage')
      .select('value')
      .where('plugin', '=', 'ai-suggestions')
      .where('key', 'like', 'feedback:%')
      .execute();
    expect(stored.map((row) => JSON.parse(row.value))).toMatchObject([
      { kind: 'unknown-command', subject: 'price', verdict: 'accepted' },
    ]);
  });

  it('shows answered suggestions without buttons', async () => {
    bed.push('/suggestions', ADMIN);
    const list = await bed.pop();
    expect(list.text).toContain('✅ 1. Add a /price command');
    expect(list.reply_markup).toBeUndefined();
  });

  it('proposes a welcome experiment for the admins when most users stop after /start, once', async () => {
    for (let id = 3001; id <= 3012; id++) {
      bed.push('/start', { id, first_name: `New ${id}` });
      await bed.popText({ userId: id });
    }
    // Usage is written in batches: the analysis must see these /starts.
    await until(async () => {
      const starts = await bed.platform.database.db
        .selectFrom('usage_events')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('command', '=', 'start')
        .executeTakeFirstOrThrow();
      return Number(starts.count) >= 12 ? true : undefined;
    });
    bed.push('/suggestions refresh', ADMIN);
    expect(await bed.popText()).toContain('Try the guided welcome on new users');
    const proposed = await until(async () => {
      const [experiment] = await bed.platform.experiments.list(['proposed']);
      return experiment;
    });
    expect(proposed).toMatchObject({
      target: 'bot.welcome',
      arms: ['classic', 'guided'],
      metric: 'command',
      proposedBy: 'plugin:ai-suggestions',
      reason: expect.stringContaining('ran no command right after it'),
    });
    // Proposals wait for an admin: nobody's welcome changed.
    bed.push('/start', { id: 3001, first_name: 'New' });
    expect(await bed.popText({ userId: 3001 })).toContain('Send /help');
    bed.push('/suggestions refresh', ADMIN);
    await bed.popText();
    expect(await bed.platform.experiments.list()).toHaveLength(1);
  });
});
