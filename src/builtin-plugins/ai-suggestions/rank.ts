// Ranks suggestions with the admins' feedback: a dismissed suggestion sinks (×0.25), and each kind
// rises or sinks with how its suggestions were received before ((accepted+2)/(dismissed+2), 0.5–1.5).
import type { Suggestion, SuggestionKind } from './suggest.js';

export type Verdict = 'accepted' | 'dismissed';

export interface FeedbackEntry {
  id: string;
  kind: SuggestionKind;
  subject: string;
  verdict: Verdict;
  /** Epoch milliseconds. */
  at: number;
}

export interface RankedSuggestion extends Suggestion {
  /** confidence × what feedback says; what the list is sorted by. */
  score: number;
  status: 'open' | Verdict;
}

const DISMISSED_FACTOR = 0.25;

export function rankSuggestions(
  suggestions: readonly Suggestion[],
  feedback: readonly FeedbackEntry[],
): RankedSuggestion[] {
  const byId = new Map(feedback.map((entry) => [entry.id, entry]));
  const tally = new Map<SuggestionKind, { accepted: number; dismissed: number }>();
  for (const entry of feedback) {
    const counts = tally.get(entry.kind) ?? { accepted: 0, dismissed: 0 };
    counts[entry.verdict]++;
    tally.set(entry.kind, counts);
  }
  return suggestions
    .map((suggestion) => {
      const counts = tally.get(suggestion.kind) ?? { accepted: 0, dismissed: 0 };
      const kindFactor = Math.min(1.5, Math.max(0.5, (counts.accepted + 2) / (counts.dismissed + 2)));
      const verdict = byId.get(suggestion.id)?.verdict;
      const score = suggestion.confidence * kindFactor * (verdict === 'dismissed' ? DISMISSED_FACTOR : 1);
      return { ...suggestion, score: Math.round(score * 1000) / 1000, status: verdict ?? 'open' } as RankedSuggestion;
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
