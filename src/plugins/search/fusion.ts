// Reciprocal rank fusion: one ranking out of several (full-text and vector), each row scoring
// 1 / (k + rank) in every list it is in. k = 60, as in Cormack, Clarke and Büttcher (2009).
import type { RankedRow } from './text-index.js';

const K = 60;

export function fuseRankings(rankings: readonly RankedRow[][]): RankedRow[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    for (const [index, { row }] of ranking.entries()) scores.set(row, (scores.get(row) ?? 0) + 1 / (K + index + 1));
  }
  return [...scores].map(([row, score]) => ({ row, score })).sort((a, b) => b.score - a.score || a.row - b.row);
}
