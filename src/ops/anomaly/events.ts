// Turns flagged points into events, as an operator counts incidents: flags no more than `gap`
// points apart are one event, so a level shift or a drift that keeps a detector firing for hours is
// reported once, and so is its return to normal (a leak, then the restart that ends it); the
// direction is that of its first point. Its kind comes from its shape: a short event is a spike (up) or
// a dip (down); a longer one is a drift when its score builds up slowly (or the trend detector
// found it), else a level shift.
import type { Anomaly, Point } from './anomaly.js';

export type EventKind = 'spike' | 'dip' | 'level-shift' | 'drift';

export interface AnomalyEvent {
  /** Epoch ms of the first and last flagged point. */
  readonly start: number;
  readonly end: number;
  readonly kind: EventKind;
  readonly direction: 'high' | 'low';
  /** The largest score of its points, in robust σ. */
  readonly severity: number;
  /** Detectors that flagged its points, joined with "+". */
  readonly detector: string;
  /** Positions of its first and last point in the series. */
  readonly first: number;
  readonly last: number;
}

export interface EventOptions {
  /** Unflagged points allowed inside one event (6). */
  gap?: number;
  /** Events of at most this many points (first to last) are spikes or dips (3). */
  spikeLength?: number;
}

export type Flag = Anomaly & { readonly detector: string };

/** A first score under this share of the event's peak means it grew: a drift, not a step. */
const DRIFT_ONSET_SHARE = 0.6;

export function toEvents(points: readonly Point[], flags: readonly Flag[], options: EventOptions = {}): AnomalyEvent[] {
  const gap = options.gap ?? 6;
  const spikeLength = options.spikeLength ?? 3;
  const sorted = [...flags].sort((a, b) => a.index - b.index);
  const groups: Flag[][] = [];
  for (const flag of sorted) {
    const open = groups.at(-1);
    const last = open?.at(-1);
    if (open && last && flag.index - last.index <= gap + 1) open.push(flag);
    else groups.push([flag]);
  }
  return groups
    .map((group) => describe(points, group, spikeLength))
    .sort((a, b) => a.start - b.start || a.first - b.first);
}

function describe(points: readonly Point[], group: readonly Flag[], spikeLength: number): AnomalyEvent {
  const first = group[0] as Flag;
  const lastFlag = group.at(-1) as Flag;
  const direction = first.direction;
  const severity = Math.max(...group.map((flag) => flag.score));
  const detectors = [...new Set(group.map((flag) => flag.detector))].sort();
  const onset = Math.max(...group.filter((flag) => flag.index === first.index).map((flag) => flag.score));
  const short = lastFlag.index - first.index + 1 <= spikeLength;
  const kind: EventKind = short
    ? direction === 'high'
      ? 'spike'
      : 'dip'
    : detectors.includes('trend') || onset < DRIFT_ONSET_SHARE * severity
      ? 'drift'
      : 'level-shift';
  return {
    start: (points[first.index] as Point).at,
    end: (points[lastFlag.index] as Point).at,
    kind,
    direction,
    severity: Math.round(severity * 100) / 100,
    detector: detectors.join('+'),
    first: first.index,
    last: lastFlag.index,
  };
}
