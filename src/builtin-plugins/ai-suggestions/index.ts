// AI Suggestions, the first built-in plugin: on a schedule (and when switched on) it reads the
// usage analytics and writes ranked feature suggestions with their evidence; admins accept or
// dismiss them with /suggestions or on its admin page, and their verdicts rank the next lists.
// Suggestions an experiment can settle are proposed to the mutation engine too.
import { z } from 'zod';
import { definePlugin } from '../../plugins/api.js';
import { suggestionsAdmin } from './admin.js';
import { SuggestionBook, UnknownSuggestionError } from './book.js';
import { proposeExperiments } from './experiments.js';
import { generateSuggestions } from './generate.js';
import { CALLBACK, renderSuggestions } from './render.js';
import { DEFAULT_THRESHOLDS } from './suggest.js';

const HOUR_MS = 3_600_000;

export default definePlugin({
  name: 'ai-suggestions',
  version: '1.0.0',
  description: 'Ranked feature suggestions from usage analytics, with evidence; admins accept or dismiss them',
  platform: '^0.1.0',
  configSchema: z.object({
    /** Hours between generations; checked hourly. */
    everyHours: z.number().int().min(1).max(168).default(24),
    maxSuggestions: z.number().int().min(1).max(50).default(10),
    minUsers: z.number().int().min(1).default(DEFAULT_THRESHOLDS.minUsers),
    minPluginEvents: z.number().int().min(1).default(DEFAULT_THRESHOLDS.minPluginEvents),
    maxErrorRate: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.maxErrorRate),
    minMonthlyUsers: z.number().int().min(1).default(DEFAULT_THRESHOLDS.minMonthlyUsers),
  }),

  setup(ctx) {
    const book = new SuggestionBook(ctx.storage);
    const generate = async () => {
      const generated = await generateSuggestions({
        analytics: ctx.analytics,
        book,
        log: ctx.log,
        ai: ctx.ai,
        limits: ctx.config,
        max: ctx.config.maxSuggestions,
      });
      const proposed = await proposeExperiments(generated.suggestions, ctx.experiments, ctx.storage);
      if (proposed.length > 0)
        ctx.log.info({ experiments: proposed }, 'proposed experiments for the admins to approve');
      return generated;
    };
    const show = async () => renderSuggestions(await book.current(), ctx.config.maxSuggestions);

    ctx.command(
      'suggestions',
      'Feature suggestions from usage (admins); /suggestions refresh to regenerate',
      async (c) => {
        if (String(c.match ?? '').trim() === 'refresh') await generate();
        const { text, keyboard } = await show();
        return c.reply(text, keyboard ? { reply_markup: keyboard } : {});
      },
      { adminOnly: true },
    );

    ctx.composer.callbackQuery(CALLBACK, async (c) => {
      if (!ctx.isAdmin(c)) return c.answerCallbackQuery({ text: 'Only the bot admins can do that.' });
      const [, action, id] = c.match as RegExpMatchArray;
      try {
        await book.answer(id as string, action === 'a' ? 'accepted' : 'dismissed');
      } catch (error) {
        if (error instanceof UnknownSuggestionError) {
          return c.answerCallbackQuery({ text: 'That list is out of date; send /suggestions again.' });
        }
        throw error;
      }
      await c.answerCallbackQuery({ text: action === 'a' ? 'Accepted' : 'Dismissed' });
      const { text, keyboard } = await show();
      return c.editMessageText(text, keyboard ? { reply_markup: keyboard } : {});
    });

    suggestionsAdmin(ctx.admin, book, generate);

    const refreshIfDue = async () => {
      const current = await book.current();
      if (!current || Date.now() - Date.parse(current.generatedAt) >= ctx.config.everyHours * HOUR_MS) await generate();
    };
    ctx.schedule('0 * * * *', refreshIfDue);
    // In the background: on a large database the analyses take a while, and switching on must not wait.
    ctx.onEnable(() => {
      generate().catch((error) => ctx.log.warn({ err: error }, 'could not generate suggestions'));
    });
  },
});
