// Reading exported metric series: what real exports look like (repeats, disorder, extra columns,
// quoting, other separators, comments, gaps) is repaired with a warning; only unreadable files are refused.
import { describe, expect, it } from 'vitest';
import { OmniError } from '../../src/errors.js';
import { parseSeriesCsv, type SeriesCsvOptions } from '../../src/ops/anomaly/series-csv.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();

function refusal(text: string, options?: SeriesCsvOptions): string {
  try {
    parseSeriesCsv(text, options);
  } catch (error) {
    expect(error).toBeInstanceOf(OmniError);
    expect((error as OmniError).code).toBe('ANOMALY_INVALID_CSV');
    return (error as OmniError).message.replace('the CSV is not a metric series: ', '');
  }
  throw new Error('the CSV was accepted');
}

describe('parseSeriesCsv', () => {
  it('sorts rows that are out of time order, and says how many were', () => {
    const { points, warnings } = parseSeriesCsv(`time,value\n${minute(2)},3\n${minute(0)},1\n${minute(1)},2\n`);
    expect(points).toEqual([
      { at: T0, value: 1 },
      { at: T0 + 60_000, value: 2 },
      { at: T0 + 120_000, value: 3 },
    ]);
    expect(warnings).toEqual(['1 row out of time order (earlier than the row before); sorted by time']);
  });

  it('merges repeated timestamps into their mean with one warning counting them', () => {
    const text = [1, 2, 2, 2, 3, 3].map((n, i) => `${minute(n)},${10 * (i + 1)}`).join('\n');
    const { points, warnings } = parseSeriesCsv(text);
    expect(points).toEqual([
      { at: T0 + 60_000, value: 10 },
      { at: T0 + 120_000, value: 30 },
      { at: T0 + 180_000, value: 55 },
    ]);
    expect(warnings).toEqual([
      '2 timestamps appeared more than once (5 rows); each was merged into the mean of its values',
    ]);
  });

  it('reads a clean series without any warning, in epoch seconds, milliseconds and nanoseconds', () => {
    for (const scale of [1e-3, 1, 1e6]) {
      const text = [0, 1].map((n) => `${(T0 + n * 60_000) * scale},${n}`).join('\n');
      expect(parseSeriesCsv(text)).toEqual({
        points: [
          { at: T0, value: 0 },
          { at: T0 + 60_000, value: 1 },
        ],
        warnings: [],
      });
    }
  });

  it('finds the time and the first numeric column after it in exports with extra columns', () => {
    const datadog = `time,host,value\n${minute(0)},web-1,5\n${minute(1)},web-1,6\n`;
    expect(parseSeriesCsv(datadog).points.map((point) => point.value)).toEqual([5, 6]);
    const grafana = `"Time","series-a","series-b"\n"${minute(0)}","7","70"\n"${minute(1)}","8","80"\n`;
    expect(parseSeriesCsv(grafana).points.map((point) => point.value)).toEqual([7, 8]);
    const statusCodes = `"Time","200","500"\n"2026-01-01T00:00:00Z","7","1"\n"2026-01-01T00:01:00Z","8","0"\n`;
    expect(parseSeriesCsv(statusCodes)).toEqual({
      points: [
        { at: T0, value: 7 },
        { at: T0 + 60_000, value: 8 },
      ],
      warnings: [],
    });
    const influx = [
      '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,double',
      ',result,table,_start,_time,_value',
      `,,0,${minute(0)},${minute(0)},1.5`,
      `,,0,${minute(0)},${minute(1)},2.5`,
    ].join('\n');
    expect(parseSeriesCsv(influx).points).toEqual([
      { at: T0, value: 1.5 },
      { at: T0 + 60_000, value: 2.5 },
    ]);
  });

  it('takes the columns chosen by header name (any case) or by 1-based number', () => {
    const text = `value_a,when,value_b\n1,${minute(0)},10\n2,${minute(1)},20\n`;
    const byName = parseSeriesCsv(text, { timeColumn: 'WHEN', valueColumn: 'value_b' });
    expect(byName.points).toEqual([
      { at: T0, value: 10 },
      { at: T0 + 60_000, value: 20 },
    ]);
    expect(parseSeriesCsv(text, { timeColumn: '2', valueColumn: '1' }).points.map((p) => p.value)).toEqual([1, 2]);
    expect(parseSeriesCsv(text, { valueColumn: '3' }).points.map((p) => p.value)).toEqual([10, 20]);
  });

  it('reads quoted fields holding separators and doubled quotes', () => {
    const text = `"time","label, with comma","say ""hi""",value\n"${minute(0)}","a, b","x",4\n"${minute(1)}","c","""",5\n`;
    const { points } = parseSeriesCsv(text, { valueColumn: 'value' });
    expect(points.map((point) => point.value)).toEqual([4, 5]);
    expect(refusal(text, { valueColumn: 'say "hi"' })).toBe('no readable row (line 2: value "x" is not a number)');
  });

  it('reads semicolon- and tab-separated files, with decimal commas', () => {
    const semicolons = `Zeit;Wert\r\n${minute(0)};1,5\r\n${minute(1)};2,25\r\n`;
    expect(parseSeriesCsv(semicolons).points.map((point) => point.value)).toEqual([1.5, 2.25]);
    const tabs = `time\thost\tvalue\n${minute(0)}\ta,b\t3\n${minute(1)}\ta,b\t4\n`;
    expect(parseSeriesCsv(tabs).points.map((point) => point.value)).toEqual([3, 4]);
  });

  it('skips comment lines before the header and blank lines anywhere, and keeps line numbers', () => {
    const text = `# exported from Grafana\n# step 60s\n\ntime,value\n${minute(0)},1\n\n${minute(1)},oops\n`;
    const { points, warnings } = parseSeriesCsv(text);
    expect(points).toEqual([{ at: T0, value: 1 }]);
    expect(warnings).toEqual([
      'skipped 1 row with an empty or non-numeric value, as gaps (line 7: value "oops" is not a number)',
    ]);
  });

  it('skips empty and non-numeric values and unreadable timestamps as gaps, one warning each', () => {
    const text = `time,value\n${minute(0)},1\n${minute(1)},\n${minute(2)},NaN\n${minute(3)},\nyesterday,9\n${minute(4)},5\n`;
    const { points, warnings } = parseSeriesCsv(text);
    expect(points.map((point) => point.value)).toEqual([1, 5]);
    expect(warnings).toEqual([
      'skipped 1 row whose timestamp cannot be read (line 6: timestamp "yesterday" is neither ISO 8601 nor an epoch number)',
      'skipped 3 rows with an empty or non-numeric value, as gaps (line 3: value "" is empty)',
    ]);
  });

  it.each([
    ['an empty file', '\n# nothing\n', {}, 'the file is empty'],
    ['a header alone', 'timestamp,value\n', {}, 'no data rows after the header line 1'],
    [
      'a file without timestamps',
      'yesterday,1\ntoday,2\n',
      {},
      /^no column of timestamps \(ISO 8601 or epoch numbers\) found \(line 1: "yesterday" is neither ISO 8601/,
    ],
    [
      'no readable row',
      `time,host,value\n${minute(0)},web,1\n`,
      { valueColumn: 'host' },
      'no readable row (line 2: value "web" is not a number)',
    ],
    ['a single column', `${minute(0)}\n${minute(1)}\n`, {}, 'the file has one column; expected "timestamp,value"'],
    [
      'no numeric column',
      `${minute(0)},up\n${minute(1)},down\n`,
      {},
      /^no column of numbers besides the time column 1/,
    ],
    ['no timestamp column', 'host,region\nweb,eu\n', {}, /^no column of timestamps/],
    [
      'a column name not in the header',
      'time,value\n1767225600,1\n',
      { valueColumn: 'cpu' },
      'value column "cpu" not found; the header has time, value',
    ],
    [
      'a column name without a header',
      '1767225600,1\n',
      { timeColumn: 'time' },
      'time column "time" not found: the file has no header line',
    ],
    [
      'a column number past the last',
      'time,value\n1767225600,1\n',
      { valueColumn: '3' },
      'value column 3 does not exist: columns are numbered 1 to 2',
    ],
    [
      'the same column twice',
      'time,value\n1767225600,1\n',
      { timeColumn: '1', valueColumn: 'TIME' },
      /the same column "time"/,
    ],
  ])('refuses %s, naming what is wrong', (_name, text, options: SeriesCsvOptions, message) => {
    expect(refusal(text, options)).toMatch(message);
  });
});
