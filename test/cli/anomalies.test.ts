// `omnicore anomalies` as an operator runs it (the built CLI): JSON and text output over a labelled
// series, the CSV dialects it accepts, and one-line errors with a non-zero exit for bad input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCsv } from '../support/anomaly-dataset.js';
import { assertBuilt, spawnOmnicore } from '../support/processes.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/anomalies/handler-latency-ms.csv', import.meta.url));

async function run(...args: string[]) {
  return spawnOmnicore(['anomalies', ...args], {}, 30_000).finished;
}

describe('omnicore anomalies', () => {
  let dir: string;
  beforeAll(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'omnicore-anomalies-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function csv(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  it('prints every anomaly as JSON, and finds the labelled spikes', async () => {
    const result = await run('--csv', FIXTURE, '--json');
    expect(result.code).toBe(0);
    const found = JSON.parse(result.stdout) as { timestamp: string; value: number; detector: string; score: number }[];
    const points = new Map(fromCsv(readFileSync(FIXTURE, 'utf8')).map((point) => [point.timestamp, point]));
    for (const entry of found) {
      expect(Object.keys(entry).sort()).toEqual(['detector', 'score', 'timestamp', 'value']);
      expect(points.get(entry.timestamp)?.value).toBe(entry.value);
      expect(['ewma', 'mad', 'trend']).toContain(entry.detector);
      expect(entry.score).toBeGreaterThan(0);
    }
    const spikes = [...points.values()].filter((point) => point.label === 'spike').map((point) => point.timestamp);
    expect(spikes.length).toBeGreaterThan(0);
    expect(found.filter((entry) => entry.detector === 'mad').map((entry) => entry.timestamp)).toEqual(
      expect.arrayContaining(spikes),
    );

    const text = await run('--csv', FIXTURE);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n').at(-1)).toBe(`${found.length} anomalies in ${points.size} points`);

    const madOnly = JSON.parse((await run('--csv', FIXTURE, '--json', '--detector', 'mad')).stdout) as unknown[];
    expect(madOnly).toEqual(found.filter((entry) => entry.detector === 'mad'));
  });

  it('reads epoch seconds, quoted fields, a header and extra columns', async () => {
    const start = 1_767_225_600; // 2026-01-01T00:00:00Z
    const lines = Array.from(
      { length: 40 },
      (_, i) => `"${start + 60 * i}","${i === 30 ? 100 : 10 + (i % 3) * 0.1}",x`,
    );
    const file = csv('epoch.csv', `"time","value","host"\n${lines.join('\n')}\n`);
    const result = await run('--csv', file, '--json', '--detector', 'mad');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { timestamp: '2026-01-01T00:30:00.000Z', value: 100, detector: 'mad', score: expect.any(Number) },
    ]);

    const quiet = await run('--csv', csv('flat.csv', lines.slice(0, 29).join('\n')));
    expect(quiet.stdout.trim()).toBe('no anomalies in 29 points');
  });

  it('sorts, merges repeated timestamps and skips gaps, with one warning line each on stderr', async () => {
    const start = 1_767_225_600;
    const rows = Array.from({ length: 40 }, (_, i) => `${start + 60 * i};web-1;${i === 30 ? '100,5' : '10'}`);
    // A collector restart: the last rows again, then out of order; and an empty sample.
    const text = [
      '# exported by a collector',
      'ts;host;load',
      ...rows.slice(0, 35).reverse(),
      rows[30],
      `${start + 60 * 36};web-1;`,
    ];
    const file = csv('restart.csv', `${text.join('\n')}\n`);
    const result = await run(
      '--csv',
      file,
      '--json',
      '--detector',
      'mad',
      '--time-column',
      'TS',
      '--value-column',
      '3',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { timestamp: '2026-01-01T00:30:00.000Z', value: 100.5, detector: 'mad', score: expect.any(Number) },
    ]);
    expect(result.stderr.trim().split('\n')).toEqual([
      `omnicore: ${file}: skipped 1 row with an empty or non-numeric value, as gaps (line 39: value "" is empty)`,
      `omnicore: ${file}: 34 rows out of time order (earlier than the row before); sorted by time`,
      `omnicore: ${file}: 1 timestamp appeared more than once (2 rows); each was merged into the mean of its values`,
    ]);
  });

  it.each([
    [
      'a file whose only number column is the time',
      'yesterday,1\n',
      [],
      /^omnicore: the CSV is not a metric series: no column of timestamps \(ISO 8601 or epoch numbers\) found \(line 1: "yesterday" is neither ISO 8601/,
    ],
    [
      'a line with one column',
      '1767225600\n',
      [],
      /^omnicore: the CSV is not a metric series: the file has one column/,
    ],
    ['no data rows', 'timestamp,value\n', [], /^omnicore: the CSV is not a metric series: no data rows/],
    [
      'a value column that does not exist',
      'time,value\n1767225600,1\n',
      ['--value-column', 'cpu'],
      /^omnicore: the CSV is not a metric series: value column "cpu" not found; the header has time, value$/,
    ],
  ])('refuses %s with one line and exit 1', async (_name, text, options, message) => {
    const result = await run('--csv', csv('bad.csv', text), ...options);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });

  it('refuses a missing file (exit 1), a missing --csv and an unknown detector (bad usage, exit 2)', async () => {
    const missing = await run('--csv', path.join(dir, 'nope.csv'));
    expect([missing.code, missing.stderr.trim()]).toEqual([
      1,
      `omnicore: cannot read ${path.join(dir, 'nope.csv')}: no such file`,
    ]);
    const usage = await run();
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^omnicore: --csv FILE is required \(usage: omnicore anomalies --csv FILE/);
    expect(usage.stderr).toMatch(/\[--time-column NAME\|N\] \[--value-column NAME\|N\]\)$/m);
    const unknown = await run('--csv', FIXTURE, '--detector', 'magic');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toMatch(
      /^omnicore: unknown detector "magic" \(choose from ewma, mad, trend\) \(usage: /,
    );
  });
});
