// Modified z-score (Iglewicz and Hoaglin): each point against the median and MAD of the `window`
// points before it. Median and MAD ignore the outliers they are meant to find, so one spike does not
// hide the next, and after a level shift the window adopts the new level within half its length.
import { type Anomaly, median, robustScale } from './anomaly.js';

export interface MadOptions {
  /** Points before each one that make its reference (60). */
  window?: number;
  /**
   * Modified z-score beyond which a point is anomalous (4.5). The authors' 3.5 assumes a MAD from
   * plenty of data; one from 60 points varies, and at 3.5 half the alarms on the labelled set were false.
   */
  threshold?: number;
  /** Points needed before anything is judged (20). */
  warmUp?: number;
}

export function madZScore(values: readonly number[], options: MadOptions = {}): Anomaly[] {
  const window = options.window ?? 60;
  const threshold = options.threshold ?? 4.5;
  const warmUp = options.warmUp ?? 20;
  const anomalies: Anomaly[] = [];
  for (let index = warmUp; index < values.length; index++) {
    const reference = values.slice(Math.max(0, index - window), index);
    const center = median(reference);
    const score = ((values[index] as number) - center) / robustScale(reference, center);
    if (Math.abs(score) > threshold)
      anomalies.push({ index, score: Math.abs(score), direction: score > 0 ? 'high' : 'low' });
  }
  return anomalies;
}
