// The Accept / Dismiss buttons over the webhook path against the fake Bot API, with the built
// plugin loaded from a plugins folder: only an admin's press is stored, whoever presses.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { insertEvents, userIds } from '../../analytics/events.js';
import { useWebhookPlatform } from '../../support/platform.js';
import { callbackUpdate, textUpdate } from '../../support/updates.js';

const BUILT_PLUGINS = fileURLToPath(new URL('../../../dist/builtin-plugins/', import.meta.url));
const ADMIN = 7001;
const MEMBER = 7002;

describe('suggestion buttons', () => {
  const fixture = useWebhookPlatform('sqlite', { PLUGINS_DIR: BUILT_PLUGINS, ADMIN_TELEGRAM_IDS: String(ADMIN) });

  it('ignores a press by someone who is not an admin, and stores an admin’s', async () => {
    const { platform, fake } = fixture;
    await platform.plugins.setEnabled('ai-suggestions', true);
    const now = Date.now();
    await insertEvents(
      platform.database.db,
      userIds(5, 100).map((user) => ({ at: now - user * 1000, user, command: 'price', outcome: 'unknown_command' })),
    );

    await platform.postUpdate(textUpdate('/suggestions refresh', { userId: ADMIN }));
    await fake.waitFor(() => fake.sentTexts(ADMIN).some((text) => text.includes('Add a /price command')));
    const sent = fake.callsOf('sendMessage').find((call) => String(call.params.text).includes('/price'));
    const markup = sent?.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const accept = markup.inline_keyboard[0]?.[0]?.callback_data as string;
    expect(accept).toMatch(/^aisug:a:/);

    await platform.postUpdate(callbackUpdate(accept, { chatId: MEMBER }));
    await fake.waitFor(() => fake.callsOf('answerCallbackQuery').length === 1);
    expect(fake.callsOf('answerCallbackQuery')[0]?.params.text).toBe('Only the bot admins can do that.');

    await platform.postUpdate(callbackUpdate(accept, { chatId: ADMIN }));
    await fake.waitFor(() => fake.callsOf('editMessageText').length === 1);
    expect(fake.callsOf('answerCallbackQuery')[1]?.params.text).toBe('Accepted');
    const verdicts = await platform.database.db
      .selectFrom('plugin_storage')
      .select('value')
      .where('plugin', '=', 'ai-suggestions')
      .where('key', 'like', 'feedback:%')
      .execute();
    expect(verdicts).toHaveLength(1);
    expect(JSON.parse(verdicts[0]?.value as string)).toMatchObject({ subject: 'price', verdict: 'accepted' });
  });
});
