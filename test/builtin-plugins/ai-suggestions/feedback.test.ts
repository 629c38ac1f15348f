// Generation, storage and re-ranking by the admins' verdicts, and the written summary from an
// OpenAI-compatible server (a local fake speaking the chat-completions wire format).

import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTextCompletion } from '../../../src/ai/completion.js';
import { createUsageAnalytics } from '../../../src/analytics/report.js';
import { SuggestionBook, UnknownSuggestionError } from '../../../src/builtin-plugins/ai-suggestions/book.js';
import { type GenerationDeps, generateSuggestions } from '../../../src/builtin-plugins/ai-suggestions/generate.js';
import { DEFAULT_THRESHOLDS } from '../../../src/builtin-plugins/ai-suggestions/suggest.js';
import { pluginStorage } from '../../../src/plugins/storage.js';
import { insertEvents, NOW, useAnalyticsDatabase, userIds } from '../../analytics/events.js';
import { FakeOpenAiCompletion } from '../../support/fake-openai-completion.js';
import { failingShop, unknownPrice } from './patterns.js';

const silent = pino({ level: 'silent' });
/** Monthly-audience suggestions (broadcast hour, unused commands) are kept out of these lists. */
const ONLY_COMMANDS_AND_PLUGINS = { ...DEFAULT_THRESHOLDS, minMonthlyUsers: 1_000_000 };

describe('suggestion feedback', () => {
  const handle = useAnalyticsDatabase('sqlite');
  let book: SuggestionBook;
  let deps: GenerationDeps;

  const setUp = async () => {
    await handle.db.deleteFrom('plugin_storage').execute();
    await insertEvents(handle.db, [
      ...unknownPrice,
      ...userIds(20, 6000).map((user) => ({
        at: NOW - 3 * 3_600_000,
        user,
        command: 'weather',
        outcome: 'unknown_command' as const,
      })),
      ...failingShop,
    ]);
    book = new SuggestionBook(pluginStorage(handle.db, 'ai-suggestions'));
    deps = {
      analytics: createUsageAnalytics(handle.db, () => []),
      book,
      log: silent,
      limits: ONLY_COMMANDS_AND_PLUGINS,
      max: 10,
    };
  };
  const subjects = async () => (await book.current())?.suggestions.map((s) => `${s.kind}:${s.subject}:${s.status}`);

  it('ranks by confidence first; a dismissed suggestion and its kind sink, an accepted kind rises', async () => {
    await setUp();
    expect(await book.current()).toBeUndefined();
    const generated = await generateSuggestions(deps, NOW);
    expect(generated.summary).toBeNull();
    const before = await book.current();
    expect(before?.suggestions.map((s) => s.subject).slice(0, 3)).toEqual(['price', 'weather', 'shop']);
    const [price, weather, shop] = before?.suggestions ?? [];

    await book.answer(price?.id as string, 'dismissed', NOW);
    const afterDismiss = await book.current();
    const scoreOf = (list: typeof afterDismiss, id: string | undefined) =>
      list?.suggestions.find((s) => s.id === id)?.score ?? -1;
    expect(scoreOf(afterDismiss, price?.id)).toBeLessThan(scoreOf(afterDismiss, shop?.id));
    expect(scoreOf(afterDismiss, weather?.id)).toBeLessThan(weather?.score as number);

    await book.answer(shop?.id as string, 'accepted', NOW);
    expect((await subjects())?.slice(0, 2)).toEqual(['plugin-errors:shop:accepted', 'unknown-command:weather:open']);

    // Verdicts outlive regeneration, and decide what is kept when the list is trimmed.
    const later = await generateSuggestions({ ...deps, max: 1 }, NOW + 3_600_000);
    expect(later.suggestions.map((s) => s.subject)).toEqual(['shop']);
    const full = await generateSuggestions(deps, NOW + 7_200_000);
    expect(full.suggestions.find((s) => s.subject === 'price')).toBeDefined();
    expect((await subjects())?.at(-1)).toBe('unknown-command:price:dismissed');

    // A slow run finishing after a newer one does not replace it.
    await generateSuggestions({ ...deps, max: 1 }, NOW);
    expect((await book.current())?.generatedAt).toBe(full.generatedAt);
  });

  it('refuses a verdict on a suggestion not in the current list, and stores nothing', async () => {
    await setUp();
    await generateSuggestions(deps, NOW);
    const before = (await book.feedback()).length;
    await expect(book.answer('nonexistent1', 'accepted')).rejects.toBeInstanceOf(UnknownSuggestionError);
    expect(await book.feedback()).toHaveLength(before);
  });

  describe('with a language model', () => {
    const fake = new FakeOpenAiCompletion();
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = await fake.start();
    });
    afterAll(() => fake.stop());

    const ai = () =>
      createTextCompletion({
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: baseUrl,
        OPENAI_MODEL: 'tiny',
        OPENAI_EMBEDDING_MODEL: 'tiny-embed',
      });

    it('adds a short written summary built from the evidence', async () => {
      await setUp();
      fake.answer = 'Add /price: 41 users asked for it.';
      const generated = await generateSuggestions({ ...deps, ai: ai() }, NOW);
      expect(generated.summary).toBe('Add /price: 41 users asked for it.');
      expect((await book.current())?.summary).toBe(generated.summary);
      const request = fake.requests.at(-1);
      expect(request?.model).toBe('tiny');
      expect(request?.messages[0]?.content).toContain('41 users typed /price');
    });

    it('stores the suggestions without a summary when the model fails', async () => {
      await setUp();
      fake.failWith = 400;
      const generated = await generateSuggestions({ ...deps, ai: ai() }, NOW);
      expect(generated.summary).toBeNull();
      expect(generated.suggestions.length).toBeGreaterThan(0);
      expect((await book.current())?.generatedAt).toBe(new Date(NOW).toISOString());
    });

    it('is absent without an API key', () => {
      expect(
        createTextCompletion({
          OPENAI_API_KEY: undefined,
          OPENAI_BASE_URL: baseUrl,
          OPENAI_MODEL: 'x',
          OPENAI_EMBEDDING_MODEL: 'x',
        }),
      ).toBeUndefined();
    });
  });
});
