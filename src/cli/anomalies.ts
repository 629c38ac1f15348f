// `omnicore anomalies --csv FILE [--json] [--detector NAME] [--time-column C] [--value-column C]`: runs
// the alerting detection over an exported series and prints each anomalous event (start, end, kind,
// severity), as alerting would count incidents, so that it can be checked on an operator's own
// recorded data. Needs no database and no configuration.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DETECTOR_NAMES, type DetectorName, detectEvents } from '../ops/anomaly/detectors.js';
import { parseSeriesCsv } from '../ops/anomaly/series-csv.js';
import { UsageError } from './usage.js';

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
  const { season, events } = detectEvents(points, { only: only as DetectorName | undefined });
  const found = events.map((event) => ({
    start: new Date(event.start).toISOString(),
    end: new Date(event.end).toISOString(),
    kind: event.kind,
    direction: event.direction,
    severity: event.severity,
    detector: event.detector,
  }));
  if (values.json) {
    console.log(JSON.stringify(found, null, 2));
    return 0;
  }
  for (const entry of found) {
    const span = entry.end === entry.start ? entry.start : `${entry.start} – ${entry.end}`;
    console.log(`${span}  ${entry.kind.padEnd(11)}  ${entry.detector}  severity ${entry.severity}`);
  }
  const summary = found.length === 0 ? 'no anomalies' : `${found.length} anomalous event${found.length > 1 ? 's' : ''}`;
  console.log(`${summary} in ${points.length} points (season: ${season})`);
  return 0;
}
