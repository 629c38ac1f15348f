// Whether a metric's newest sample is an anomaly worth an alert: against the same phase of earlier
// cycles when the metric has a season (seasonal-profile.ts), else by the combined detection over the
// live window (detectors.ts). Either way only the start of a departure, in the bad direction, is news.
import { median, type Point, robustScale } from '../anomaly/anomaly.js';
import { detectEvents } from '../anomaly/detectors.js';
import { judgeSeasonal, type SeasonalProfile } from '../anomaly/seasonal-profile.js';
import { type MetricName, OBSERVED_METRICS } from '../observer/metric-catalog.js';

/** Raw samples whose scatter the seasonal judgement allows for (two minutes at 10 s). */
const SHORT_NOISE_POINTS = 12;

export interface Finding {
  readonly detector: string;
  readonly score: number;
  /** Why the value is news, for the message. */
  readonly why: string;
}

/**
 * The newest point judged against the same phase of earlier cycles. Undefined when the profile cannot
 * judge it (fewer than two cycles behind it), null when it finds nothing new. A point that is news
 * only begins a departure: the one before was usual, or within the floor.
 */
export function seasonalAnomaly(
  name: MetricName,
  floor: number,
  points: readonly Point[],
  profile: SeasonalProfile,
): Finding | null | undefined {
  const newest = points.at(-1);
  const previous = points.at(-2);
  if (!newest) return undefined;
  const recent = points.slice(-SHORT_NOISE_POINTS - 1, -1).map((point) => point.value);
  const noise = recent.length > 1 ? robustScale(recent, median(recent)) : 0;
  const judge = (point: Point) => {
    const judged = judgeSeasonal(profile, point.at, point.value, noise);
    return judged && { ...judged, anomalous: judged.anomalous && inBadDirection(name, judged.score) };
  };
  const now = judge(newest);
  if (!now) return undefined;
  if (!now.anomalous) return null;
  if (previous && pastFloor(name, previous.value, floor) && judge(previous)?.anomalous) return null;
  return {
    detector: 'seasonal',
    score: Math.abs(now.score),
    why: `usually ~${formatValue(roundish(now.expected))} at this hour (${profile.season.name} cycle, score ${Math.abs(now.score).toFixed(1)})`,
  };
}

/**
 * The newest point judged by the combined detection over the live window. Only an event that begins
 * with this sample is news; one still going on was alerted when it began. A detector may stretch an
 * event over samples back within the floor (an EWMA remembers a jump from a series that is all zeros
 * for long): a rise from there is news all the same.
 */
export function shortWindowAnomaly(name: MetricName, floor: number, points: readonly Point[]): Finding | undefined {
  const bad = OBSERVED_METRICS[name].bad;
  const direction = bad === 'both' ? undefined : bad;
  const last = points.length - 1;
  const previous = points[last - 1];
  const event = detectEvents(points, { direction }).events.find(
    (found) => found.last === last && (found.first === last || !previous || !pastFloor(name, previous.value, floor)),
  );
  if (!event) return undefined;
  return {
    detector: event.detector,
    score: event.severity,
    why: `out of its usual range (${event.kind}, ${event.detector}, score ${event.severity.toFixed(1)})`,
  };
}

function inBadDirection(name: MetricName, score: number): boolean {
  const bad = OBSERVED_METRICS[name].bad;
  return bad === 'both' || (bad === 'high' ? score > 0 : score < 0);
}

/** Two significant digits: an expectation is a rough figure. */
function roundish(value: number): number {
  return Number(value.toPrecision(2));
}

/** Whether `value` is at or beyond `floor` in the metric's bad direction. */
export function pastFloor(name: MetricName, value: number, floor: number): boolean {
  const bad = OBSERVED_METRICS[name].bad;
  return bad === 'low' ? value <= floor : value >= floor;
}

export function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
