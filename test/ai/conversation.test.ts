// The local conversation engine through the real update path (webhook → pipeline → fake Bot API):
// private questions in the user's own words and language, group messages only when addressed to the
// bot, the operator's knowledge file, and a plugin switched off at run time no longer suggested.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_RECHECK_MS } from '../../src/ai/local/knowledge.js';
import { useWebhookPlatform } from '../support/platform.js';
import { callbackUpdate, freshUpdateId, textUpdate } from '../support/updates.js';

const PLUGINS_DIR = fileURLToPath(new URL('./fixtures/plugins/', import.meta.url));
const BOT = { id: 123456789, is_bot: true, first_name: 'Test Bot', username: 'test_bot' };
const GROUP = { id: -1001234, type: 'supergroup', title: 'Team' };

/** A group message from Ada, optionally with entities or replying to a message of `replyTo`. */
function groupUpdate(text: string, options: { entities?: unknown[]; replyTo?: typeof BOT } = {}) {
  const messageId = freshUpdateId();
  const update = {
    update_id: freshUpdateId(),
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      chat: GROUP,
      from: { id: 42, is_bot: false, first_name: 'Ada' },
      text,
      ...(options.entities ? { entities: options.entities } : {}),
      ...(options.replyTo
        ? { reply_to_message: { message_id: 1, date: 1, chat: GROUP, from: options.replyTo, text: 'earlier' } }
        : {}),
    },
  };
  return { update, messageId };
}

describe('conversation through the bot', () => {
  const fixture = useWebhookPlatform('sqlite', { PLUGINS_DIR });

  beforeAll(async () => {
    await fixture.platform.plugins.setEnabled('orders', true);
    await fixture.platform.plugins.setEnabled('weather', true);
    await fixture.platform.conversationEngine.trained();
  });

  const ask = async (text: string, chatId = 500): Promise<string> => {
    const { fake, platform } = fixture;
    const before = fake.sentTexts(chatId).length;
    await platform.postUpdate(textUpdate(text, { chatId }));
    await fake.waitFor(() => fake.sentTexts(chatId).length > before);
    return fake.sentTexts(chatId).at(-1) as string;
  };

  /** Posts a group message and returns the bot's answers to it (none when it was not addressed). */
  const inGroup = async (update: ReturnType<typeof groupUpdate>['update']) => {
    const { fake, platform } = fixture;
    const before = fake.callsOf('sendMessage').length;
    expect((await platform.postUpdate(update)).status).toBe(200);
    await platform.idle();
    return fake.callsOf('sendMessage').slice(before);
  };

  it('tells a user in a private chat what it can do, naming the commands', async () => {
    const reply = await ask('what can you do?');
    expect(reply).toMatch(/^Here is what I can do:\n/);
    expect(reply).toContain('/help — List the commands');
    expect(reply).toContain('/pay — Pay for your order or subscription');
    expect(reply).toContain('/forecast — Weather forecast for a city');
    expect(reply).not.toContain('/status');
  });

  it("leads a question in the user's own words to the command that does it", async () => {
    expect(await ask('how do I pay?')).toBe('Use /pay — Pay for your order or subscription.');
    expect(await ask('forecast for Madrid')).toBe('Use /forecast — Weather forecast for a city: /forecast Paris.');
  });

  it('answers a group message that mentions it or replies to it, and no other', async () => {
    const mentioned = groupUpdate('@test_bot how do I pay?', {
      entities: [{ type: 'mention', offset: 0, length: 9 }],
    });
    const [answer, ...more] = await inGroup(mentioned.update);
    expect(more).toHaveLength(0);
    expect(answer?.params).toMatchObject({
      chat_id: GROUP.id,
      text: 'Use /pay — Pay for your order or subscription.',
      reply_parameters: { message_id: mentioned.messageId },
    });

    const reply = await inGroup(groupUpdate('what can you do?', { replyTo: BOT }).update);
    expect(String(reply[0]?.params.text)).toMatch(/^Here is what I can do:/);

    expect(await inGroup(groupUpdate('how do I pay?').update)).toEqual([]);
    const otherBot = groupUpdate('@other_bot how do I pay?', {
      entities: [{ type: 'mention', offset: 0, length: 10 }],
    });
    expect(await inGroup(otherBot.update)).toEqual([]);
    const replyToSomeone = groupUpdate('how do I pay?', { replyTo: { ...BOT, id: 5, username: 'someone' } });
    expect(await inGroup(replyToSomeone.update)).toEqual([]);
  });

  it("answers from the operator's knowledge file within a second of its being written", async () => {
    const file = path.join(fixture.database.dataDir, 'knowledge.md');
    expect(await ask('when are you open?')).not.toContain('weekdays');
    writeFileSync(file, '## What are your opening hours?\nWeekdays, nine to five.\n');
    try {
      // The file is looked at once a second at most; asking over and over would look like a flood.
      await new Promise((resolve) => setTimeout(resolve, KNOWLEDGE_RECHECK_MS + 100));
      expect(await ask('when are you open?')).toBe('Weekdays, nine to five.');
    } finally {
      rmSync(file);
    }
  });

  it('answers a user who chose Deutsch in /settings in German, and one whose Telegram is Spanish in Spanish', async () => {
    const { fake, platform } = fixture;
    await platform.postUpdate(textUpdate('/settings', { chatId: 510 }));
    await platform.postUpdate(callbackUpdate('core:lang:de', { chatId: 510 }));
    await platform.idle();
    const german = await ask('Was kannst du alles für mich tun?', 510);
    expect(german).toMatch(/^Das kann ich:\n/);
    expect(german).toContain('/help — Befehle anzeigen');
    expect(await ask('Wie kann ich meine Sprache ändern?', 510)).toBe('Nimm /settings — Sprache und Einstellungen.');

    const before = fake.sentTexts(511).length;
    await platform.postUpdate(textUpdate('¿qué comandos tienes?', { chatId: 511, languageCode: 'es' }));
    await fake.waitFor(() => fake.sentTexts(511).length > before);
    expect(fake.sentTexts(511).at(-1)).toMatch(/^Esto es lo que puedo hacer:\n\/start — Iniciar el bot\n/);
  });

  it('stops suggesting the commands of a plugin switched off at run time', async () => {
    await fixture.platform.plugins.setEnabled('orders', false);
    expect(await ask('how do I pay?')).not.toContain('/pay');
    expect(await ask('what can you do?')).not.toContain('/pay');
    await fixture.platform.conversationEngine.trained();
    expect(await ask('how do I pay?')).not.toContain('/pay');
    expect(await ask('forecast for Madrid')).toContain('/forecast');
  });
});
