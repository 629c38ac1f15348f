// Labelled series that look like a bot's real metrics, for judging the combined detection: a week
// shape (evening peaks, quieter weekends) or none, slow trends, noisy hours (labelled `noisy`:
// normal), missing points and repeated timestamps, with spikes, dips, level shifts (that end after
// some hours, as incidents do) and drifts (a leak, then a restart) planted after the warm-up. Each
// anomaly's label covers its whole duration: an alarm at its start or at its end is a true one.
import { gaussian, random } from './seeded-random.js';

export type Kind = 'spike' | 'dip' | 'level-shift' | 'drift';
export const KINDS: readonly Kind[] = ['spike', 'dip', 'level-shift', 'drift'];
export type RealLabel = Kind | 'normal' | 'noisy';

export interface RealPoint {
  readonly at: number;
  readonly value: number;
  readonly label: RealLabel;
}

export interface SeriesSpec {
  readonly name: string;
  readonly base: number;
  /** Noise σ, in the series' units. */
  readonly sd: number;
  /** Height of the evening peak over the night, in units; 0 for a metric without a cycle. */
  readonly daily: number;
  /** Share of the daily movement left on Saturdays and Sundays (1: no weekly pattern). */
  readonly weekend: number;
  /** Change per day, in units. */
  readonly trend: number;
  readonly days: number;
  readonly events: Partial<Record<Kind | 'noisy', number>>;
}

export const STEP_MS = 5 * 60_000;
const DAY = 288;
const START = Date.UTC(2026, 9, 5); // a Monday
/** Points between the starts of two planted events: room for the longest and the recovery after it. */
const SLOT = 220;

export const REALISTIC_SERIES: readonly SeriesSpec[] = [
  {
    name: 'updates-per-minute',
    base: 40,
    sd: 4,
    daily: 120,
    weekend: 0.6,
    trend: 0.5,
    days: 28,
    events: { spike: 3, dip: 2, 'level-shift': 2, drift: 1, noisy: 2 },
  },
  {
    name: 'handler-latency-ms',
    base: 35,
    sd: 2,
    daily: 25,
    weekend: 1,
    trend: 0,
    days: 14,
    events: { spike: 4, dip: 1, 'level-shift': 2, drift: 2, noisy: 2 },
  },
  {
    name: 'cpu-percent',
    base: 8,
    sd: 1,
    daily: 20,
    weekend: 1,
    trend: 0.1,
    days: 14,
    events: { spike: 3, dip: 2, 'level-shift': 2, drift: 1, noisy: 1 },
  },
  {
    name: 'messages-sent',
    base: 10,
    sd: 2,
    daily: 60,
    weekend: 0.4,
    trend: 0,
    days: 28,
    events: { spike: 2, dip: 2, 'level-shift': 2, drift: 1, noisy: 2 },
  },
  {
    name: 'rss-megabytes',
    base: 300,
    sd: 3,
    daily: 0,
    weekend: 1,
    trend: 0.5,
    days: 10,
    events: { spike: 3, dip: 1, 'level-shift': 2, drift: 2, noisy: 1 },
  },
  {
    name: 'event-loop-lag-ms',
    base: 4,
    sd: 0.5,
    daily: 0,
    weekend: 1,
    trend: 0,
    days: 10,
    events: { spike: 4, dip: 0, 'level-shift': 2, drift: 1, noisy: 2 },
  },
];

/** Clean series: a daily cycle with no anomaly, noise-free and mildly noisy. No alarm is right. */
export const CLEAN_SERIES: readonly SeriesSpec[] = [
  { name: 'clean noise-free', base: 40, sd: 0, daily: 120, weekend: 1, trend: 0, days: 14, events: {} },
  { name: 'clean noise-free weekly', base: 10, sd: 0, daily: 60, weekend: 0.4, trend: 0, days: 21, events: {} },
  { name: 'clean mildly noisy', base: 40, sd: 2, daily: 120, weekend: 1, trend: 0, days: 14, events: {} },
  { name: 'clean mildly noisy weekly', base: 10, sd: 1, daily: 60, weekend: 0.5, trend: 0.2, days: 21, events: {} },
];

/** The tuning seeds and the held-out one (never used while choosing thresholds). */
export const TUNING_SEEDS: readonly number[] = [101, 202, 303];
export const HELD_OUT_SEED = 7;

/** Evening peak around 20:00, a smaller one at noon, quiet nights; 0–1. */
export function dayShape(hour: number): number {
  const bump = (centre: number, width: number) => Math.exp(-(((hour - centre) / width) ** 2));
  return Math.min(1, bump(20, 2.5) + 0.4 * bump(12.5, 2.5));
}

export function realisticSeries(spec: SeriesSpec, seed: number): RealPoint[] {
  const next = random(seed);
  const between = (low: number, high: number) => low + (high - low) * next();
  const total = spec.days * DAY;
  // Anomalies only after the warm-up a seasonal model needs (two weeks for a weekly shape, else two days).
  const warmUp = (spec.weekend < 1 ? 14 : 2) * DAY + 20;
  const kinds = Object.entries(spec.events).flatMap(([kind, count]) => Array<string>(count ?? 0).fill(kind));
  const slots = Array.from({ length: Math.floor((total - warmUp - SLOT) / SLOT) }, (_, i) => warmUp + SLOT * i);
  for (let i = slots.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
  }
  if (kinds.length > slots.length) throw new Error(`${spec.name}: ${kinds.length} events need more days`);
  const labels: RealLabel[] = Array(total).fill('normal');
  const offset = new Float64Array(total);
  const noise = new Float64Array(total).fill(1);
  const sd = Math.max(spec.sd, 1e-9);
  kinds.forEach((kind, i) => {
    const at = (slots[i] as number) + Math.floor(between(0, 40));
    const sign = next() < 0.7 ? 1 : -1;
    if (kind === 'spike' || kind === 'dip') {
      offset[at] = (kind === 'spike' ? 1 : -1) * between(8, 14) * sd;
      labels[at] = kind;
    } else if (kind === 'level-shift') {
      const length = Math.floor(between(24, 120));
      const step = sign * between(6, 10) * sd;
      for (let t = at; t < at + length; t++) [offset[t], labels[t]] = [step, 'level-shift'];
    } else if (kind === 'drift') {
      const length = Math.floor(between(60, 150));
      const height = sign * between(10, 16) * sd;
      for (let t = at; t < at + length; t++) [offset[t], labels[t]] = [(height * (t - at + 1)) / length, 'drift'];
    } else {
      for (let t = at; t < at + 24; t++) [noise[t], labels[t]] = [2.5, 'noisy'];
    }
  });
  const points: RealPoint[] = [];
  for (let t = 0; t < total; t++) {
    const day = Math.floor(t / DAY);
    const weekend = day % 7 >= 5;
    const cycle = spec.daily * dayShape(((t % DAY) * 24) / DAY) * (weekend ? spec.weekend : 1);
    const value =
      spec.base + cycle + (spec.trend * t) / DAY + (offset[t] ?? 0) + gaussian(next) * spec.sd * (noise[t] ?? 1);
    const point = { at: START + t * STEP_MS, value: Math.round(value * 1000) / 1000, label: labels[t] as RealLabel };
    // About 2 % of points lost (not the planted single-point anomalies), 1 % recorded twice.
    const roll = next();
    if (spec.sd > 0 && roll < 0.02 && labels[t] !== 'spike' && labels[t] !== 'dip') continue;
    points.push(point);
    if (spec.sd > 0 && roll > 0.99) {
      points.push({ ...point, value: Math.round((value + gaussian(next) * spec.sd) * 1000) / 1000 });
    }
  }
  return points;
}

export function realisticDataset(seed: number, specs = REALISTIC_SERIES): Map<string, RealPoint[]> {
  return new Map(specs.map((spec, i) => [spec.name, realisticSeries(spec, seed * 7919 + i)]));
}
