// Event-level precision and recall of a detector on labelled series. A labelled anomaly (a run of
// one anomalous label) is found when an alarm overlaps it or starts within `tolerance` points after
// it; an alarm is a run of flagged points with gaps of at most `gap` — one incident, one alarm, as
// an operator would count them. Precision = true alarms / alarms; recall = anomalies found / anomalies.
import { ANOMALY_LABELS, type Label } from './anomaly-dataset.js';

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Tally {
  alarms: number;
  trueAlarms: number;
  found: Record<string, number>;
  total: Record<string, number>;
}

export function emptyTally(): Tally {
  return { alarms: 0, trueAlarms: 0, found: {}, total: {} };
}

export function labelledEvents(labels: readonly Label[]): (Span & { kind: Label })[] {
  const events: (Span & { kind: Label })[] = [];
  labels.forEach((label, index) => {
    if (!ANOMALY_LABELS.includes(label)) return;
    const last = events.at(-1);
    if (last && last.kind === label && last.end === index - 1) events[events.length - 1] = { ...last, end: index };
    else events.push({ kind: label, start: index, end: index });
  });
  return events;
}

export function alarmsOf(flagged: readonly number[], gap: number): Span[] {
  const alarms: Span[] = [];
  for (const index of [...new Set(flagged)].sort((a, b) => a - b)) {
    const last = alarms.at(-1);
    if (last && index - last.end <= gap + 1) alarms[alarms.length - 1] = { start: last.start, end: index };
    else alarms.push({ start: index, end: index });
  }
  return alarms;
}

export function score(
  tally: Tally,
  labels: readonly Label[],
  flagged: readonly number[],
  options: { gap: number; tolerance: number },
): void {
  const events = labelledEvents(labels);
  const alarms = alarmsOf(flagged, options.gap);
  const hits = (alarm: Span, event: Span) => alarm.start <= event.end + options.tolerance && alarm.end >= event.start;
  tally.alarms += alarms.length;
  tally.trueAlarms += alarms.filter((alarm) => events.some((event) => hits(alarm, event))).length;
  for (const event of events) {
    tally.total[event.kind] = (tally.total[event.kind] ?? 0) + 1;
    if (alarms.some((alarm) => hits(alarm, event))) tally.found[event.kind] = (tally.found[event.kind] ?? 0) + 1;
  }
}

export function precision(tally: Tally): number {
  return tally.alarms === 0 ? 1 : tally.trueAlarms / tally.alarms;
}

export function recall(tally: Tally, kind?: string): number {
  const kinds = kind ? [kind] : Object.keys(tally.total);
  const total = kinds.reduce((sum, k) => sum + (tally.total[k] ?? 0), 0);
  const found = kinds.reduce((sum, k) => sum + (tally.found[k] ?? 0), 0);
  return total === 0 ? 1 : found / total;
}
