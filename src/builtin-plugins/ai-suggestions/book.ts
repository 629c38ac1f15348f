// Where suggestions and the admins' verdicts live, in the plugin's storage: the latest generated
// list, and one key per verdict (so two admins answering at once lose nothing). The admin panel
// reads and answers through this class too.
import type { PluginStorage } from '../../plugins/api.js';
import { type FeedbackEntry, type RankedSuggestion, rankSuggestions, type Verdict } from './rank.js';
import type { Suggestion } from './suggest.js';

export interface GeneratedSuggestions {
  /** ISO timestamp. */
  generatedAt: string;
  /** A short written overview, when a language model is configured. */
  summary: string | null;
  suggestions: Suggestion[];
}

export interface SuggestionList extends Omit<GeneratedSuggestions, 'suggestions'> {
  /** Ranked with every verdict given so far, best first. */
  suggestions: RankedSuggestion[];
}

export class UnknownSuggestionError extends Error {
  override readonly name = 'UnknownSuggestionError';
  constructor(readonly id: string) {
    super(`no current suggestion has id ${id}; it may have been replaced by a newer list`);
  }
}

const LATEST = 'latest';
const COMMANDS_SEEN = 'commands-first-seen';
const FEEDBACK = 'feedback:';

export class SuggestionBook {
  constructor(private readonly storage: PluginStorage) {}

  /** When each of `commands` was first seen here; the ones new to it are recorded as seen `now`. */
  commandsFirstSeen(commands: readonly string[], now: number): Promise<Record<string, number>> {
    // One update, so that two generations running at once (two instances) keep each other's commands.
    return this.storage.update<Record<string, number>>(COMMANDS_SEEN, (seen) => ({
      ...Object.fromEntries(commands.map((command) => [command, now])),
      ...seen,
    }));
  }

  /** Keeps the list unless a newer one is already stored (a slow run finishing after a quick one). */
  async save(generated: GeneratedSuggestions): Promise<void> {
    await this.storage.update<GeneratedSuggestions>(LATEST, (stored) =>
      stored && stored.generatedAt > generated.generatedAt ? stored : generated,
    );
  }

  async feedback(): Promise<FeedbackEntry[]> {
    const keys = await this.storage.keys(FEEDBACK);
    const entries = await Promise.all(keys.map((key) => this.storage.get<FeedbackEntry>(key)));
    return entries.filter((entry): entry is FeedbackEntry => entry !== undefined);
  }

  /** The latest list ranked with all feedback; undefined before the first generation. */
  async current(): Promise<SuggestionList | undefined> {
    const latest = await this.storage.get<GeneratedSuggestions>(LATEST);
    if (!latest) return undefined;
    return { ...latest, suggestions: rankSuggestions(latest.suggestions, await this.feedback()) };
  }

  /** Records an admin's verdict on a suggestion of the latest list; a later verdict replaces it. */
  async answer(id: string, verdict: Verdict, at = Date.now()): Promise<FeedbackEntry> {
    const latest = await this.storage.get<GeneratedSuggestions>(LATEST);
    const suggestion = latest?.suggestions.find((candidate) => candidate.id === id);
    if (!suggestion) throw new UnknownSuggestionError(id);
    const entry: FeedbackEntry = { id, kind: suggestion.kind, subject: suggestion.subject, verdict, at };
    await this.storage.set(`${FEEDBACK}${id}`, entry);
    return entry;
  }
}
