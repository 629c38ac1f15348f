// The mutation engine end to end, through the bot on a fake Bot API: simulated users whose behaviour
// depends only on what the bot sent them. A welcome experiment (bot.welcome: classic vs guided) where
// guided users go on to a command more often ends with guided promoted for everyone; a plugin's
// variant whose pushy wording makes users block the bot is reverted by the guard, and nobody gets
// it after. Runs on both databases. And the CLI, which runs no engine, still lists such a plugin.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { FakeBotApi } from '../../support/fake-bot-api.js';
import { type TestPlatform, useWebhookPlatform } from '../../support/platform.js';
import { assertBuilt, runOmnicoreOn } from '../../support/processes.js';
import { random } from '../../support/seeded-random.js';
import { freshUpdateId, textUpdate } from '../../support/updates.js';

const TIPS_PLUGIN = `import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: 'tips',
  version: '1.0.0',
  description: 'A tip of the day, worded one way or another',
  platform: '*',
  setup(ctx) {
    ctx.experiments.declare('wording', ['gentle', 'pushy'], 'How the tip is worded');
    ctx.command('tip', 'A tip of the day', async (c) => {
      const wording = c.experiments.variant('wording', ['gentle', 'pushy']);
      await c.reply(wording === 'pushy' ? 'READ THIS NOW: tip of the day!' : 'Here is a tip, if you like.');
      await c.experiments.goal('wording');
    });
  },
});
`;

function tipsPluginsDir(kind: string): string {
  const dir = fileURLToPath(new URL(`../../../test-results/tips-${kind}-${process.pid}/`, import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'tips'), { recursive: true });
  writeFileSync(path.join(dir, 'tips', 'index.mjs'), TIPS_PLUGIN);
  return dir;
}

/** The user's next message to the bot, and the bot's answer to it. */
async function say(platform: TestPlatform, fake: FakeBotApi, userId: number, text: string): Promise<string> {
  const before = fake.sentTexts(userId).length;
  const response = await platform.postUpdate(textUpdate(text, { userId, firstName: 'Sim' }));
  expect(response.status).toBe(200);
  await fake.waitFor(() => fake.sentTexts(userId).length > before, 20_000);
  return fake.sentTexts(userId)[before] as string;
}

/** Telegram's word that a user blocked the bot. */
function blockedUpdate(userId: number): Record<string, unknown> {
  const user = { id: userId, is_bot: false, first_name: 'Sim' };
  return {
    update_id: freshUpdateId(),
    my_chat_member: {
      chat: { id: userId, type: 'private', first_name: 'Sim' },
      from: user,
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { user: { id: 1, is_bot: true, first_name: 'Bot' }, status: 'member' },
      new_chat_member: { user: { id: 1, is_bot: true, first_name: 'Bot' }, status: 'kicked', until_date: 0 },
    },
  };
}

/** Runs `simulate` for users `first`…, a few at a time, until `done` holds or `max` users have come. */
async function crowd(
  first: number,
  max: number,
  simulate: (userId: number) => Promise<void>,
  done: () => Promise<boolean>,
) {
  let userId = first;
  while (userId < first + max && !(await done())) {
    const batch = Array.from({ length: 10 }, (_, index) => userId + index);
    userId += batch.length;
    await Promise.all(batch.map(simulate));
  }
  return userId - first;
}

describe.each(DATABASE_KINDS)('experiments through the bot on %s', (kind) => {
  const pluginsDir = tipsPluginsDir(kind);
  const fixture = useWebhookPlatform(kind, { PLUGINS_DIR: pluginsDir }, { experimentCheckMs: 100 });
  afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

  it('promotes the guided welcome when users who get it go on to a command more often', async () => {
    const { platform, fake } = fixture;
    await platform.settings.set('experiments.maxTrafficShare', 1);
    const experiment = await platform.experiments.propose(
      {
        target: 'bot.welcome',
        values: ['guided'],
        metric: 'command',
        share: 1,
        minUsers: 60,
        reason: 'users stop after /start',
      },
      'admin:ops',
      { start: true },
    );
    const next = random(kind === 'sqlite' ? 21 : 22);
    const greeted = { guided: 0, classic: 0 };
    const users = await crowd(
      10_000,
      600,
      async (userId) => {
        const welcome = await say(platform, fake, userId, '/start');
        const guided = welcome.includes('Here is where to start');
        greeted[guided ? 'guided' : 'classic']++;
        // What users do depends on what they read: a list of commands gets half of them trying one.
        if (next() < (guided ? 0.5 : 0.15)) await say(platform, fake, userId, '/settings');
      },
      async () => (await platform.experiments.get(experiment.id)).status !== 'running',
    );
    await fake.waitFor(() => platform.settings.get('bot.welcome') === 'guided', 10_000);
    const ended = await platform.experiments.get(experiment.id);
    expect(ended.status).toBe('promoted');
    expect(ended.outcome).toMatchObject({ by: 'engine', arm: 1 });
    expect(greeted.guided).toBeGreaterThan(0);
    expect(greeted.classic).toBeGreaterThan(0);
    // Everyone, in the experiment or not, now gets the guided welcome.
    expect(await say(platform, fake, 99_999, '/start')).toContain('Here is where to start');
    console.info(
      `welcome experiment on ${kind}: promoted after ${users} users (${greeted.guided} guided, ${greeted.classic} classic)`,
    );
  });

  it("reverts a plugin variant whose users block the bot, within the guard's window", async () => {
    const { platform, fake } = fixture;
    await platform.plugins.setEnabled('tips', true);
    await platform.settings.set('experiments.maxTrafficShare', 1);
    const experiment = await platform.experiments.propose(
      { target: 'plugin:tips/wording', values: ['pushy'], metric: 'goal', share: 1, guards: { blocked: 0.02 } },
      'admin:ops',
      { start: true },
    );
    const next = random(kind === 'sqlite' ? 31 : 32);
    let pushed = 0;
    const users = await crowd(
      20_000,
      600,
      async (userId) => {
        const tip = await say(platform, fake, userId, '/tip');
        const pushy = tip.startsWith('READ THIS NOW');
        if (pushy) pushed++;
        if (next() < (pushy ? 0.5 : 0.02)) expect((await platform.postUpdate(blockedUpdate(userId))).status).toBe(200);
      },
      async () => (await platform.experiments.get(experiment.id)).status !== 'running',
    );
    await platform.idle();
    const ended = await platform.experiments.get(experiment.id);
    expect(ended).toMatchObject({ status: 'reverted', outcome: { guard: 'blocked', arm: 1 } });
    // The guard acted on its first looks: well before the 100 users per arm a promotion would need.
    expect(pushed).toBeLessThan(100);
    for (const userId of [30_001, 30_002, 30_003, 30_004]) {
      expect(await say(platform, fake, userId, '/tip')).toBe('Here is a tip, if you like.');
    }
    console.info(`harmful variant on ${kind}: reverted after ${users} users, ${pushed} of them shown the pushy tip`);
  });
});

describe('a plugin that declares variants, where no engine runs', () => {
  it('is listed by the CLI like any other, its setup not refused', async () => {
    assertBuilt();
    const pluginsDir = tipsPluginsDir('cli');
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-tips-cli-'));
    try {
      const listed = await runOmnicoreOn({ dataDir, url: undefined }, ['plugins', 'list', '--json'], {
        PLUGINS_DIR: pluginsDir,
      });
      expect(listed.code).toBe(0);
      const tips = (
        JSON.parse(listed.stdout) as { name: string; lastError: string | null; commands: unknown[] }[]
      ).find((plugin) => plugin.name === 'tips');
      expect(tips).toMatchObject({ lastError: null, commands: [{ command: 'tip', description: 'A tip of the day' }] });
    } finally {
      rmSync(pluginsDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
