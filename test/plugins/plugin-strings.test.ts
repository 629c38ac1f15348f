// Plugins answering in the user's language, through the platform as omnicore/testing runs it: the
// language chosen with /settings (pressing its button), else the one Telegram reports; a string the
// language lacks in English, one English lacks as its key; plural forms by the language's rules; a
// string table with a key English does not have refused.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { User } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../../examples/plugins/', import.meta.url));
// Under the repository, so that the plugins import omnicore/plugin and zod as an operator's would.
const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/strings-${process.pid}/`, import.meta.url));

const plugin = (name: string, strings: unknown, setup: string, dependsOn: string[] = []): void => {
  mkdirSync(path.join(PLUGINS_DIR, name), { recursive: true });
  writeFileSync(
    path.join(PLUGINS_DIR, name, 'index.mjs'),
    `export default { name: '${name}', version: '1.0.0', description: 'd', platform: '*',
      dependsOn: ${JSON.stringify(dependsOn)}, strings: ${JSON.stringify(strings)}, setup(ctx) { ${setup} } };`,
  );
};

const user = (id: number, extra: Partial<User> = {}): User => ({ id, is_bot: false, first_name: 'Ada', ...extra });

describe("plugin strings in the user's language", () => {
  let bed: PluginTestBed;

  const ask = async (text: string, from: User): Promise<string> => {
    bed.push(text, from);
    return bed.popText({ userId: from.id });
  };

  beforeAll(async () => {
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
    for (const example of ['points', 'points-shop'])
      cpSync(path.join(EXAMPLES, example), path.join(PLUGINS_DIR, example), { recursive: true });
    plugin(
      'greeter',
      {
        en: {
          hello: 'Hello, {name}!',
          englishOnly: 'Only in English',
          apples: { one: '{count} apple', other: '{count} apples' },
        },
        de: { hello: 'Hallo, {name}!', apples: { one: '{count} Apfel', other: '{count} Äpfel' } },
        ru: {
          apples: { one: '{count} яблоко', few: '{count} яблока', many: '{count} яблок', other: '{count} яблока' },
        },
      },
      `ctx.command('greet', 'Greets', (c) => c.reply([c.language, c.t('hello', { name: c.from.first_name }),
        c.t('englishOnly'), c.t('nowhere'), c.t('apples', { count: 1 }), c.t('apples', { count: 3 }),
        c.t('apples', { count: 5 })].join(' | ')));`,
    );
    plugin('words', { en: { saved: 'Saved.' }, de: { gespeichert: 'Gespeichert.' } }, '');
    // The keeper answers after its turn, once the plugin after it has set its own `t` and `match`.
    plugin(
      'keeper',
      { en: { whose: 'the keeper' } },
      `ctx.composer.hears('/whose', (c, next) => {
        setTimeout(() => c.reply(c.t('whose') + ' ' + c.match), 200);
        return next();
      });`,
    );
    plugin(
      'other',
      { en: { whose: 'the other' } },
      "ctx.composer.hears(/^\\/(whose)$/, (c) => c.reply(c.t('whose') + ' ' + c.match[1]));",
      ['keeper'],
    );
    bed = await createPluginTestBed({
      pluginsDir: PLUGINS_DIR,
      enable: { greeter: true, points: true, 'points-shop': true, keeper: true, other: true },
    });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
  });

  it('answers in the language the user chose with /settings', async () => {
    const ada = user(2001);
    expect(await ask('/greet', ada)).toBe(
      'en | Hello, Ada! | Only in English | nowhere | 1 apple | 3 apples | 5 apples',
    );
    await ask('/settings', ada);
    const emulator = bed.platform.emulator as NonNullable<typeof bed.platform.emulator>;
    const prompt = emulator.transcript(ada.id).messages.findLast((message) => message.reply_markup);
    emulator.pressButton(ada, prompt?.message_id as number, 'core:lang:de');
    expect(await bed.popText({ userId: ada.id })).toMatch(/Deutsch/);
    expect(await ask('/greet', ada)).toBe('de | Hallo, Ada! | Only in English | nowhere | 1 Apfel | 3 Äpfel | 5 Äpfel');
    expect(await ask('/points', ada)).toBe('Du hast 100 Punkte.');
    expect(await ask('/buy badge', ada)).toBe('Bitte schön: badge. Du hast noch 20 Punkte.');
  });

  it("takes Telegram's language when none was chosen, with that language's plural rules", async () => {
    const ivan = user(2002, { first_name: 'Иван', language_code: 'ru' });
    expect(await ask('/greet', ivan)).toBe(
      'ru | Hello, Иван! | Only in English | nowhere | 1 яблоко | 3 яблока | 5 яблок',
    );
    expect(await ask('/buy badge', ivan)).toBe('Вот ваш badge. Осталось 20 баллов.');
    // The shop has no Russian for this one: English.
    expect(await ask('/buy badge', ivan)).toBe('A badge costs 80 points; you have 20.');
  });

  it('falls back to English for a language the plugin has no strings in', async () => {
    const ana = user(2003, { language_code: 'es' });
    expect(await ask('/greet', ana)).toBe(
      'es | Hello, Ada! | Only in English | nowhere | 1 apple | 3 apples | 5 apples',
    );
    expect(await ask('/buy sticker', ana)).toBe('Here is your sticker. You have 70 points left.');
  });

  it('keeps a plugin its own strings and match on a context it answers from after its turn', async () => {
    const ada = user(2004);
    bed.push('/whose', ada);
    expect(await bed.popText({ userId: ada.id })).toBe('the other whose');
    expect(await bed.popText({ userId: ada.id })).toBe('the keeper /whose');
  });

  it('refuses a plugin whose strings have a key that English lacks, naming it', () => {
    expect(bed.platform.plugins.list().find((entry) => entry.name === 'words')?.refused).toMatchObject({
      code: 'PLUGIN_INVALID_MANIFEST',
      message: expect.stringContaining('words: strings.de.gespeichert is not in en'),
    });
  });
});
