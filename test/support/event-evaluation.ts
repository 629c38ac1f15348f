// Event-by-event scoring of detected events against labelled windows (a run of one anomalous label,
// in time). A window is found when an event starts inside it or within `toleranceMs` after its end
// (the detector may need a few points); an event that starts in no window is a false alarm. Alarms
// are counted per reported kind, windows per labelled kind.
import { DETECTOR_NAMES, type DetectorName, detectEvents } from '../../src/ops/anomaly/detectors.js';
import type { AnomalyEvent } from '../../src/ops/anomaly/events.js';
import { CLEAN_SERIES, KINDS, type RealPoint, realisticDataset, STEP_MS } from './realistic-series.js';

interface Window {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
}

export interface EventTally {
  alarms: Record<string, number>;
  trueAlarms: Record<string, number>;
  found: Record<string, number>;
  total: Record<string, number>;
}

export function emptyEventTally(): EventTally {
  return { alarms: {}, trueAlarms: {}, found: {}, total: {} };
}

export function labelledWindows(points: readonly RealPoint[]): Window[] {
  const windows: Window[] = [];
  let previous: RealPoint | undefined;
  for (const point of points) {
    const last = windows.at(-1);
    if ((KINDS as readonly string[]).includes(point.label)) {
      if (last && previous?.label === point.label && last.kind === point.label) {
        windows[windows.length - 1] = { ...last, end: point.at };
      } else windows.push({ kind: point.label, start: point.at, end: point.at });
    }
    previous = point;
  }
  return windows;
}

const add = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by;
};

export function scoreEvents(
  tally: EventTally,
  points: readonly RealPoint[],
  events: readonly AnomalyEvent[],
  toleranceMs: number,
): void {
  const windows = labelledWindows(points);
  const inside = (event: AnomalyEvent, window: Window) =>
    event.start >= window.start && event.start <= window.end + toleranceMs;
  for (const event of events) {
    add(tally.alarms, event.kind);
    if (windows.some((window) => inside(event, window))) add(tally.trueAlarms, event.kind);
  }
  for (const window of windows) {
    add(tally.total, window.kind);
    if (events.some((event) => inside(event, window))) add(tally.found, window.kind);
  }
}

const sum = (record: Record<string, number>, keys: readonly string[]) =>
  keys.reduce((total, key) => total + (record[key] ?? 0), 0);

export interface Figures {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Precision of the alarms reported as `kind`, recall of the windows labelled `kind`; all kinds if none. */
export function figures(tally: EventTally, kind?: string): Figures {
  const kinds = kind ? [kind] : KINDS;
  const alarms = sum(tally.alarms, kinds);
  const total = sum(tally.total, kinds);
  const precision = alarms === 0 ? 1 : sum(tally.trueAlarms, kinds) / alarms;
  const recall = total === 0 ? 1 : sum(tally.found, kinds) / total;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Tolerance after a labelled window: ten samples, for detectors that need a few points to be sure. */
export const TOLERANCE_MS = 10 * STEP_MS;

/** Runs the combined detection (or one detector) over every series of `seeds` and scores it. */
export function measureDetection(seeds: readonly number[], detector?: DetectorName): EventTally {
  const tally = emptyEventTally();
  for (const seed of seeds) {
    for (const points of realisticDataset(seed).values()) {
      scoreEvents(tally, points, detectEvents(points, { only: detector }).events, TOLERANCE_MS);
    }
  }
  return tally;
}

/** Events found on the clean periodic series, by name: every one is a false alarm. */
export function cleanSeriesAlarms(seeds: readonly number[]): Map<string, number> {
  const alarms = new Map<string, number>();
  for (const seed of seeds) {
    for (const [name, points] of realisticDataset(seed, CLEAN_SERIES)) {
      alarms.set(name, (alarms.get(name) ?? 0) + detectEvents(points).events.length);
    }
  }
  return alarms;
}

/** Markdown rows: precision / recall / F1 per detector (combined first), overall and per kind. */
export function figureTable(seeds: readonly number[]): string[] {
  const cell = (f: Figures) => `${f.precision.toFixed(2)} / ${f.recall.toFixed(2)} / ${f.f1.toFixed(2)}`;
  const rows = [undefined, ...DETECTOR_NAMES].map((detector) => {
    const tally = measureDetection(seeds, detector);
    return `| ${detector ?? '**combined**'} | ${[undefined, ...KINDS].map((kind) => cell(figures(tally, kind))).join(' | ')} |`;
  });
  return [`| detector | all | ${KINDS.join(' | ')} |`, `|---|${'---|'.repeat(KINDS.length + 1)}`, ...rows];
}
