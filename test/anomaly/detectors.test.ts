// The cycle-blind detectors (what the combined detection runs on a series without a season) measured
// on the committed labelled data set (see test/support/anomaly-dataset.ts: one day per series, so no
// cycle can be learnt) and on a held-out set of the same design from another seed (the defaults were
// tuned on the first): event-level precision and recall per detector, printed, and asserted against
// floors a little under what they measure, so a change that makes a detector worse fails here.
// The seasonal detector finds no season in one day, and is measured in combined-detection.test.ts.
// `UPDATE_ANOMALY_DATA=1` rewrites the committed CSV files from the generator.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DETECTORS, type DetectorName } from '../../src/ops/anomaly/detectors.js';
import { fromCsv, generateDataset, type LabelledPoint, toCsv } from '../support/anomaly-dataset.js';
import { emptyTally, precision, recall, score, type Tally } from '../support/anomaly-evaluation.js';

const FIXTURES = new URL('../fixtures/anomalies/', import.meta.url);
const generated = generateDataset();
if (process.env.UPDATE_ANOMALY_DATA === '1') {
  for (const [name, points] of generated) writeFileSync(new URL(`${name}.csv`, FIXTURES), toCsv(points));
}
const committed = new Map(
  [...generated.keys()].map((name) => [name, fromCsv(readFileSync(new URL(`${name}.csv`, FIXTURES), 'utf8'))]),
);
const heldOut = generateDataset(7);
const EVALUATION = { gap: 3, tolerance: 10 };
const CYCLE_BLIND = ['ewma', 'mad', 'trend'] as const;

function measure(dataset: Map<string, LabelledPoint[]>, detectors: readonly DetectorName[]): Tally {
  const tally = emptyTally();
  for (const points of dataset.values()) {
    const series = points.map((point) => ({ at: Date.parse(point.timestamp), value: point.value }));
    const flagged = detectors.flatMap((name) => DETECTORS[name](series).map((anomaly) => anomaly.index));
    score(
      tally,
      points.map((point) => point.label),
      flagged,
      EVALUATION,
    );
  }
  return tally;
}

function line(name: string, tally: Tally): string {
  const kinds = Object.keys(tally.total)
    .sort()
    .map((kind) => `${kind} ${tally.found[kind] ?? 0}/${tally.total[kind]}`)
    .join(', ');
  const p = `${precision(tally).toFixed(2)} (${tally.trueAlarms}/${tally.alarms} alarms)`;
  return `  ${name.padEnd(6)} precision ${p.padEnd(22)} recall ${recall(tally).toFixed(2)} (${kinds})`;
}

/**
 * Floors per detector and set: precision, and recall of the kinds the detector is for (the trend
 * detector is for drifts and shifts, not single spikes). Each sits a few alarms under the measured
 * figure, so that noise from an unrelated change passes and a real loss of quality does not.
 */
const FLOORS: Record<(typeof CYCLE_BLIND)[number] | 'any', { precision: number; recall: Record<string, number> }> = {
  ewma: { precision: 0.85, recall: { spike: 0.75, level_shift: 0.85, drift: 0.5 } },
  mad: { precision: 0.7, recall: { spike: 0.9, level_shift: 0.85 } },
  trend: { precision: 0.85, recall: { drift: 0.85, level_shift: 0.85 } },
  any: { precision: 0.75, recall: { spike: 0.9, level_shift: 0.95, drift: 0.85 } },
};

describe('anomaly detectors on the labelled data set', () => {
  it('the committed CSV files are what the seeded generator writes', () => {
    for (const [name, points] of generated) expect(toCsv(committed.get(name) ?? []), name).toBe(toCsv(points));
  });

  for (const [setName, dataset] of [
    ['committed set', committed],
    ['held-out set', heldOut],
  ] as const) {
    it(`meets the precision and recall floors on the ${setName}`, () => {
      const tallies = Object.fromEntries([
        ...CYCLE_BLIND.map((name) => [name, measure(dataset, [name])] as const),
        ['any', measure(dataset, CYCLE_BLIND)] as const,
      ]) as Record<keyof typeof FLOORS, Tally>;
      console.log([`Detectors on the ${setName}:`, ...Object.entries(tallies).map(([n, t]) => line(n, t))].join('\n'));
      for (const [name, floor] of Object.entries(FLOORS) as [keyof typeof FLOORS, (typeof FLOORS)['any']][]) {
        const tally = tallies[name];
        expect(precision(tally), `${name} precision`).toBeGreaterThanOrEqual(floor.precision);
        for (const [kind, minimum] of Object.entries(floor.recall)) {
          expect(recall(tally, kind), `${name} recall of ${kind}`).toBeGreaterThanOrEqual(minimum);
        }
      }
    });
  }
});
