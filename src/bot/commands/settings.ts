// /settings: the user's language, chosen with an inline keyboard; the choice is kept in user_state.
import { InlineKeyboard } from 'grammy';
import { LANGUAGES, type Language } from '../../config/settings-catalog.js';
import { messages } from '../../core/i18n.js';
import type { CoreCommand } from './core-command.js';

const CALLBACK_PREFIX = 'core:lang:';

function languageKeyboard(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const language of LANGUAGES) keyboard.text(messages[language].languageName, `${CALLBACK_PREFIX}${language}`);
  return keyboard;
}

export const settings: CoreCommand = {
  info: { command: 'settings', description: (t) => t.commands.settings, adminOnly: false },
  handle(ctx) {
    const { t } = ctx.core;
    return ctx.reply(t.settingsPrompt(t.languageName), { reply_markup: languageKeyboard() });
  },
  callback: {
    pattern: new RegExp(`^${CALLBACK_PREFIX}(${LANGUAGES.join('|')})$`),
    async handle(ctx, match, { userState }) {
      const language = match[1] as Language;
      if (ctx.from) await userState.update(ctx.from.id, (state) => ({ ...state, language }));
      const t = messages[language];
      await ctx.answerCallbackQuery({ text: t.languageChanged });
      return ctx.editMessageText(t.settingsPrompt(t.languageName), { reply_markup: languageKeyboard() });
    },
  },
};
