// Which record is the header and which columns hold the time and the value: chosen by the operator
// (header name or 1-based number) or found in the data, so that exports with extra columns
// (`time,host,value`, InfluxDB's `_time`…`_value`, Grafana's `"Time","series-a"`) read as they are.
import { OmniError } from '../../errors.js';
import type { CsvRecord } from './csv-records.js';
import { isIsoTimestamp, timestampField, valueField } from './series-fields.js';

export interface ColumnChoice {
  /** A header name (any case) or a 1-based column number. */
  readonly timeColumn?: string | undefined;
  readonly valueColumn?: string | undefined;
}

export interface SeriesLayout {
  readonly rows: readonly CsvRecord[];
  /** 0-based column indexes. */
  readonly time: number;
  readonly value: number;
}

const COLUMN_NUMBER = /^\s*\d+\s*$/;
const TIME_NAMES = new Set(['time', '_time', 'timestamp', 'date', 'datetime', 'ts']);

const invalid = (detail: string) => new OmniError('ANOMALY_INVALID_CSV', detail);

export function findLayout(records: readonly CsvRecord[], choice: ColumnChoice): SeriesLayout {
  const [first, ...rest] = records;
  if (!first) throw invalid('the file is empty');
  const named = [choice.timeColumn, choice.valueColumn].filter(
    (spec) => spec !== undefined && !COLUMN_NUMBER.test(spec),
  );
  const isHeader =
    named.some((name) => indexOfName(first.fields, name as string) >= 0) || looksLikeHeader(first, rest[0]);
  const header = isHeader ? first.fields : undefined;
  // Exports that join several tables (InfluxDB) repeat the header before each.
  const rows = header ? rest.filter((row) => row.fields.join('\n') !== header.join('\n')) : records;
  if (rows.length === 0) throw invalid(`no data rows after the header line ${first.line}`);
  const width = Math.max(header?.length ?? 0, ...rows.map((row) => row.fields.length));
  if (width < 2) throw invalid('the file has one column; expected "timestamp,value"');
  const columns = Array.from({ length: width }, (_, index) => index);

  const chosenValue = resolve('value', choice.valueColumn, header, width);
  const chosenTime = resolve('time', choice.timeColumn, header, width);
  const time =
    chosenTime ??
    columns.find((index) => index !== chosenValue && TIME_NAMES.has(header?.[index]?.toLowerCase() ?? '')) ??
    columns.find((index) => index !== chosenValue && mostly(rows, index, isIsoTimestamp)) ??
    // An epoch column is a column of numbers too: it is the time only when a value column is left.
    columns.find(
      (index) =>
        index !== chosenValue &&
        mostly(rows, index, isTimestamp) &&
        (chosenValue !== undefined || columns.some((other) => other !== index && mostly(rows, other, isNumber))),
    );
  if (time === undefined) {
    const [example] = rows;
    const problem = example && timestampField.safeParse(example.fields[0]).error?.issues[0]?.message;
    const where = problem ? ` (line ${example.line}: "${example.fields[0]}" ${problem})` : '';
    throw invalid(`no column of timestamps (ISO 8601 or epoch numbers) found${where}; choose one with --time-column`);
  }
  const isValue = (index: number) => index !== time && mostly(rows, index, isNumber);
  const value = chosenValue ?? columns.slice(time + 1).find(isValue) ?? columns.slice(0, time).find(isValue);
  if (value === undefined) {
    throw invalid(
      `no column of numbers besides the time column ${columnName(time, header)}; expected "timestamp,value"`,
    );
  }
  if (value === time) throw invalid(`the time and value columns are the same column ${columnName(time, header)}`);
  return { rows, time, value };
}

/**
 * A data row always holds a timestamp, and an epoch number is one, so a line without any is the
 * header; so is one whose text stands where the next line has an ISO timestamp, as in Grafana's
 * `"Time","200"` for a series named after a status code.
 */
function looksLikeHeader(first: CsvRecord, next: CsvRecord | undefined): boolean {
  if (!first.fields.some(isTimestamp)) return true;
  return (
    !first.fields.some(isIsoTimestamp) &&
    first.fields.some((field, index) => !isTimestamp(field) && isIsoTimestamp(next?.fields[index] ?? ''))
  );
}

function resolve(
  role: 'time' | 'value',
  spec: string | undefined,
  header: readonly string[] | undefined,
  width: number,
): number | undefined {
  if (spec === undefined) return undefined;
  if (COLUMN_NUMBER.test(spec)) {
    const number = Number(spec);
    if (number < 1 || number > width) {
      throw invalid(`${role} column ${spec} does not exist: columns are numbered 1 to ${width}`);
    }
    return number - 1;
  }
  if (!header) throw invalid(`${role} column "${spec}" not found: the file has no header line`);
  const index = indexOfName(header, spec);
  if (index < 0) throw invalid(`${role} column "${spec}" not found; the header has ${header.join(', ')}`);
  return index;
}

function indexOfName(fields: readonly string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  return fields.findIndex((field) => field.toLowerCase() === wanted);
}

/** True when most of the column's non-empty fields pass: a few bad or empty ones are gaps, not another kind. */
function mostly(rows: readonly CsvRecord[], index: number, test: (field: string) => boolean): boolean {
  const fields = rows.map((row) => row.fields[index] ?? '').filter((field) => field !== '');
  return fields.length > 0 && fields.filter(test).length * 2 >= fields.length;
}

function isTimestamp(field: string): boolean {
  return timestampField.safeParse(field).success;
}

function isNumber(field: string): boolean {
  return valueField.safeParse(field).success;
}

function columnName(index: number, header: readonly string[] | undefined): string {
  return header?.[index] ? `"${header[index]}"` : String(index + 1);
}
