// The anomalies section of `npm run bench` (BENCH_ONLY=anomalies, a few seconds): the combined
// detection and each detector alone, scored event by event on the realistic labelled series of
// test/support/realistic-series.ts, on the tuning seeds and on the held-out seed; and the alarms on
// clean periodic series, where every alarm is a false one. The same figures test/anomaly prints.
import { cleanSeriesAlarms, figureTable } from '../test/support/event-evaluation.js';
import { HELD_OUT_SEED, REALISTIC_SERIES, TUNING_SEEDS } from '../test/support/realistic-series.js';

export const ANOMALIES_SECTION = 'anomalies';

/** The section's markdown lines, printed during the run too. */
export type AnomaliesRun = string[];

export async function runAnomaliesBench(log: (line: string) => void): Promise<AnomaliesRun> {
  const names = REALISTIC_SERIES.map((spec) => spec.name).join(', ');
  const lines = [
    `Series: ${names} — 10 to 28 days every 5 minutes, with evening peaks, quieter weekends on some, trends, noisy hours, 2 % of points missing and 1 % recorded twice.`,
    'A labelled incident is found when an event starts inside it or within 10 samples after it; an event that starts in none is a false alarm. Cells: precision / recall / F1; per kind, precision is that of the events reported as that kind.',
    'The combined detection runs the seasonal model on series with a daily or weekly cycle and EWMA, MAD and trend where there is none; each detector alone runs on every series, cyclic or not, which is why the cycle-blind ones score low here.',
    '',
    `Tuning seeds (${TUNING_SEEDS.join(', ')}):`,
    '',
    ...figureTable(TUNING_SEEDS),
    '',
    `Held-out seed (${HELD_OUT_SEED}, never used to choose a threshold):`,
    '',
    ...figureTable([HELD_OUT_SEED]),
    '',
  ];
  const clean = cleanSeriesAlarms([...TUNING_SEEDS, HELD_OUT_SEED]);
  lines.push(
    `Alarms on clean periodic series (all seeds, no anomaly planted): ${[...clean].map(([name, count]) => `${name} ${count}`).join(', ')}.`,
  );
  for (const line of lines) log(`  ${line}`);
  return lines;
}
