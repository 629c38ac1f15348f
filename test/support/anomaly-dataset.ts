// The labelled synthetic data set the detectors are measured on: seeded, so the same code always
// writes the same files (test/fixtures/anomalies/*.csv, `timestamp,value,label`). Each series is a
// day of one point per minute with noise (and some a daily cycle), and anomalies placed in separate
// slots: spikes, level shifts (the new level stays), slow drifts (a ramp, then the new level stays)
// and noisy periods (twice the usual noise, labelled `noisy`: normal, so an alarm there is false).

import { gaussian, random } from './seeded-random.js';

export type Label = 'normal' | 'noisy' | 'spike' | 'level_shift' | 'drift';
export const ANOMALY_LABELS: readonly Label[] = ['spike', 'level_shift', 'drift'];

export interface LabelledPoint {
  readonly timestamp: string;
  readonly value: number;
  readonly label: Label;
}

interface SeriesSpec {
  name: string;
  base: number;
  sd: number;
  /** Amplitude of a daily sine, in the series' units. */
  cycle?: number;
  events: Partial<Record<'spike' | 'level_shift' | 'drift' | 'noisy', number>>;
}

export const SERIES: readonly SeriesSpec[] = [
  { name: 'cpu-percent', base: 25, sd: 2, cycle: 4, events: { spike: 4, level_shift: 1, noisy: 1 } },
  { name: 'handler-latency-ms', base: 40, sd: 4, events: { spike: 4, level_shift: 1, drift: 1, noisy: 1 } },
  { name: 'rss-megabytes', base: 300, sd: 3, events: { spike: 1, level_shift: 1, drift: 2 } },
  { name: 'updates-per-minute', base: 120, sd: 10, cycle: 30, events: { spike: 3, level_shift: 2, noisy: 1 } },
  { name: 'event-loop-lag-ms', base: 3, sd: 0.5, events: { spike: 5, noisy: 2 } },
  { name: 'free-disk-gb', base: 50, sd: 0.05, events: { level_shift: 1, drift: 2 } },
  { name: 'error-rate-percent', base: 3, sd: 0.3, events: { spike: 4, level_shift: 1, drift: 1, noisy: 1 } },
  { name: 'inbox-backlog', base: 8, sd: 1.5, events: { spike: 3, level_shift: 1, drift: 1, noisy: 1 } },
];

export const SEED = 20261125;
const POINTS = 1440;
const SLOT = 160;
const START = Date.UTC(2026, 10, 1);
/** Points labelled after a level shift's onset: the window in which finding it counts. */
const SHIFT_LABELLED = 10;

export function generateSeries(spec: SeriesSpec, seed: number): LabelledPoint[] {
  const next = random(seed);
  const between = (low: number, high: number) => low + (high - low) * next();
  const sign = () => (next() < 0.75 ? 1 : -1);
  const kinds = Object.entries(spec.events).flatMap(([kind, count]) => Array<string>(count ?? 0).fill(kind));
  const slots = Array.from({ length: Math.floor((POINTS - SLOT) / SLOT) }, (_, i) => SLOT * (i + 1));
  // Fisher–Yates, so events land in random slots.
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  const labels: Label[] = Array(POINTS).fill('normal');
  const offset = new Float64Array(POINTS);
  const noise = new Float64Array(POINTS).fill(1);
  kinds.forEach((kind, i) => {
    const at = (slots[i] as number) + Math.floor(between(10, 40));
    if (kind === 'spike') {
      offset[at] = (offset[at] ?? 0) + sign() * between(6, 12) * spec.sd;
      labels[at] = 'spike';
    } else if (kind === 'level_shift') {
      const step = sign() * between(5, 9) * spec.sd;
      for (let t = at; t < POINTS; t++) offset[t] = (offset[t] ?? 0) + step;
      for (let t = at; t < at + SHIFT_LABELLED; t++) labels[t] = 'level_shift';
    } else if (kind === 'drift') {
      const length = Math.floor(between(100, 140));
      const total = sign() * between(8, 12) * spec.sd;
      for (let t = at; t < POINTS; t++) offset[t] = (offset[t] ?? 0) + total * Math.min(1, (t - at + 1) / length);
      for (let t = at; t < at + length; t++) labels[t] = 'drift';
    } else {
      for (let t = at; t < at + 120; t++) {
        noise[t] = 2;
        labels[t] = 'noisy';
      }
    }
  });
  return labels.map((label, t) => {
    const cycle = (spec.cycle ?? 0) * Math.sin((2 * Math.PI * t) / POINTS);
    const value = spec.base + cycle + (offset[t] ?? 0) + gaussian(next) * spec.sd * (noise[t] ?? 1);
    return {
      timestamp: new Date(START + t * 60_000).toISOString(),
      value: Math.round(Math.max(0, value) * 1000) / 1000,
      label,
    };
  });
}

/** The committed set uses SEED; other seeds give held-out sets of the same design. */
export function generateDataset(seed = SEED): Map<string, LabelledPoint[]> {
  return new Map(SERIES.map((spec, i) => [spec.name, generateSeries(spec, seed + i * 7919)]));
}

export function toCsv(points: readonly LabelledPoint[]): string {
  return `timestamp,value,label\n${points.map((point) => `${point.timestamp},${point.value},${point.label}`).join('\n')}\n`;
}

export function fromCsv(text: string): LabelledPoint[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [timestamp, value, label] = line.split(',');
      return { timestamp: timestamp as string, value: Number(value), label: label as Label };
    });
}
