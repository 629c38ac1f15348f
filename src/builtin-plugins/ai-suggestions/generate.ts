// One generation: read the usage report, derive suggestions, keep the best (as feedback ranks
// them), add a written summary when a language model is configured, and store the list.
import type { Logger, PluginAi, PluginAnalytics } from '../../plugins/api.js';
import type { GeneratedSuggestions, SuggestionBook } from './book.js';
import { rankSuggestions } from './rank.js';
import { type Suggestion, type SuggestionThresholds, suggestFrom } from './suggest.js';

export interface GenerationDeps {
  analytics: PluginAnalytics;
  book: SuggestionBook;
  log: Logger;
  ai?: PluginAi | undefined;
  limits: SuggestionThresholds;
  /** How many suggestions to keep. */
  max: number;
}

export async function generateSuggestions(deps: GenerationDeps, now = Date.now()): Promise<GeneratedSuggestions> {
  const report = await deps.analytics.report(now);
  const commandSince = await deps.book.commandsFirstSeen(
    report.commands.map((use) => use.command),
    now,
  );
  const found = suggestFrom(report, deps.limits, { now, commandSince });
  const ranked = rankSuggestions(found, await deps.book.feedback()).slice(0, deps.max);
  const suggestions: Suggestion[] = ranked.map(({ score, status, ...suggestion }) => suggestion);
  const generated: GeneratedSuggestions = {
    generatedAt: new Date(now).toISOString(),
    summary: deps.ai && suggestions.length > 0 ? await summarise(deps, suggestions) : null,
    suggestions,
  };
  await deps.book.save(generated);
  return generated;
}

/** The summary is a nicety: when the model fails the list is stored without one. */
async function summarise(deps: GenerationDeps, suggestions: Suggestion[]): Promise<string | null> {
  const lines = suggestions.slice(0, 6).map((s, i) => `${i + 1}. ${s.title} — ${s.evidence}`);
  const prompt = [
    'You advise the owner of a Telegram bot. From these findings about how people use the bot,',
    'write a summary of at most three sentences saying what to do first and why. Plain text, no lists.',
    '',
    ...lines,
  ].join('\n');
  try {
    return await (deps.ai as PluginAi).complete(prompt, { maxTokens: 200 });
  } catch (error) {
    deps.log.warn({ err: error }, 'could not write the suggestions summary');
    return null;
  }
}
