// Reads a metric series from CSV as operators export it (Prometheus, Grafana, InfluxDB, Datadog,
// spreadsheets): the time and value columns chosen or found, rows sorted by time, repeated timestamps
// (clock changes, collector restarts) merged by their mean, unreadable rows skipped as gaps. Each such
// repair is reported as a warning; only a file with no readable row, or a missing column, is refused.
import { OmniError } from '../../errors.js';
import { readCsv } from './csv-records.js';
import { type ColumnChoice, findLayout } from './series-columns.js';
import { timestampField, valueField } from './series-fields.js';

export interface SeriesPoint {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly value: number;
}

export type SeriesCsvOptions = ColumnChoice;

export interface SeriesCsv {
  /** In time order, one per timestamp. */
  readonly points: SeriesPoint[];
  /** What was repaired or skipped, one line each. */
  readonly warnings: string[];
}

/** Rows of one kind of trouble: how many, and the first as an example. */
class Skipped {
  count = 0;
  first = '';
  note(line: number, problem: string): void {
    if (this.count++ === 0) this.first = `line ${line}: ${problem}`;
  }
}

export function parseSeriesCsv(text: string, options: SeriesCsvOptions = {}): SeriesCsv {
  const { rows, time, value } = findLayout(readCsv(text).records, options);
  const badTimes = new Skipped();
  const badValues = new Skipped();
  const read: SeriesPoint[] = [];
  for (const row of rows) {
    const rawTime = row.fields[time] ?? '';
    const at = timestampField.safeParse(rawTime);
    if (!at.success) {
      badTimes.note(row.line, `timestamp "${clip(rawTime)}" ${at.error.issues[0]?.message}`);
      continue;
    }
    const rawValue = row.fields[value] ?? '';
    const number = valueField.safeParse(rawValue);
    if (!number.success) {
      badValues.note(row.line, `value "${clip(rawValue)}" ${number.error.issues[0]?.message}`);
      continue;
    }
    read.push({ at: at.data, value: number.data });
  }
  if (read.length === 0) {
    throw new OmniError('ANOMALY_INVALID_CSV', `no readable row (${badTimes.first || badValues.first})`);
  }

  const warnings: string[] = [];
  if (badTimes.count > 0) {
    warnings.push(`skipped ${rowsText(badTimes.count)} whose timestamp cannot be read (${badTimes.first})`);
  }
  if (badValues.count > 0) {
    warnings.push(
      `skipped ${rowsText(badValues.count)} with an empty or non-numeric value, as gaps (${badValues.first})`,
    );
  }
  const outOfOrder = read.filter((point, index) => index > 0 && point.at < (read[index - 1] as SeriesPoint).at).length;
  if (outOfOrder > 0)
    warnings.push(`${rowsText(outOfOrder)} out of time order (earlier than the row before); sorted by time`);
  const { points, repeated, merged } = mergeRepeats(read.sort((a, b) => a.at - b.at));
  if (repeated > 0) {
    warnings.push(
      `${repeated} timestamp${repeated === 1 ? '' : 's'} appeared more than once (${merged} rows); each was merged into the mean of its values`,
    );
  }
  return { points, warnings };
}

/** Folds each run of equal timestamps (the input is sorted) into one point with their mean. */
function mergeRepeats(sorted: readonly SeriesPoint[]): { points: SeriesPoint[]; repeated: number; merged: number } {
  const points: SeriesPoint[] = [];
  let repeated = 0;
  let merged = 0;
  for (let start = 0; start < sorted.length; ) {
    const at = (sorted[start] as SeriesPoint).at;
    let end = start;
    let sum = 0;
    while (end < sorted.length && (sorted[end] as SeriesPoint).at === at) sum += (sorted[end++] as SeriesPoint).value;
    if (end - start > 1) {
      repeated++;
      merged += end - start;
    }
    points.push({ at, value: sum / (end - start) });
    start = end;
  }
  return { points, repeated, merged };
}

function rowsText(count: number): string {
  return count === 1 ? '1 row' : `${count} rows`;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
