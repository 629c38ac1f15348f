// `omnicore anomalies --csv FILE [--json] [--detector NAME] [--time-column C] [--value-column C]`: runs the
// alerting detectors over an exported series and prints each anomaly, so that detectors can be checked and
// tuned on an operator's own recorded data. Needs no database and no configuration.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DETECTOR_NAMES, DETECTORS, type DetectorName } from '../ops/anomaly/detectors.js';
import { parseSeriesCsv } from '../ops/anomaly/series-csv.js';
import { UsageError } from './usage.js';

interface Found {
  timestamp: string;
  value: number;
  detector: DetectorName;
  score: number;
}

export async function runAnomalies(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      csv: { type: 'string' },
      json: { type: 'boolean' },
      detector: { type: 'string' },
      'time-column': { type: 'string' },
      'value-column': { type: 'string' },
    },
  });
  if (!values.csv) throw new UsageError('--csv FILE is required');
  const only = values.detector;
  if (only !== undefined && !(DETECTOR_NAMES as string[]).includes(only)) {
    throw new UsageError(`unknown detector "${only}" (choose from ${DETECTOR_NAMES.join(', ')})`);
  }
  const text = await readFile(values.csv, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${values.csv}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  const { points, warnings } = parseSeriesCsv(text, {
    timeColumn: values['time-column'],
    valueColumn: values['value-column'],
  });
  for (const warning of warnings) console.error(`omnicore: ${values.csv}: ${warning}`);
  const series = points.map((point) => point.value);
  const detectors = only ? [only as DetectorName] : DETECTOR_NAMES;
  const found: Found[] = detectors
    .flatMap((detector) =>
      DETECTORS[detector](series).map((anomaly) => {
        const point = points[anomaly.index] as (typeof points)[number];
        return {
          timestamp: new Date(point.at).toISOString(),
          value: point.value,
          detector,
          score: round(anomaly.score),
        };
      }),
    )
    .sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.detector.localeCompare(b.detector));
  if (values.json) {
    console.log(JSON.stringify(found, null, 2));
  } else if (found.length === 0) {
    console.log(`no anomalies in ${points.length} points`);
  } else {
    for (const entry of found) {
      console.log(
        `${entry.timestamp}  ${String(entry.value).padStart(12)}  ${entry.detector.padEnd(5)}  score ${entry.score}`,
      );
    }
    console.log(`${found.length} anomalies in ${points.length} points`);
  }
  return 0;
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
