// `omnicore anomalies` as an operator runs it (the built CLI): events as JSON and text over a labelled
// series, a daily-cycle series with and without an incident, the CSV dialects it accepts, and one-line errors with a non-zero exit for bad input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCsv } from '../support/anomaly-dataset.js';
import { assertBuilt, spawnOmnicore } from '../support/processes.js';
import { CLEAN_SERIES, realisticSeries, type SeriesSpec } from '../support/realistic-series.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/anomalies/handler-latency-ms.csv', import.meta.url));

async function run(...args: string[]) {
  return spawnOmnicore(['anomalies', ...args], {}, 30_000).finished;
}

/** What --json prints for a one-point spike the MAD detector finds at `at`. */
const madSpikeAt = (at: string) => ({
  start: at,
  end: at,
  kind: 'spike',
  direction: 'high',
  severity: expect.any(Number),
  detector: 'mad',
});

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

  interface Event {
    start: string;
    end: string;
    kind: string;
    direction: string;
    severity: number;
    detector: string;
  }

  it('prints each anomalous event as JSON, one per labelled spike, and the same events as text', async () => {
    const result = await run('--csv', FIXTURE, '--json');
    expect(result.code).toBe(0);
    const found = JSON.parse(result.stdout) as Event[];
    const points = fromCsv(readFileSync(FIXTURE, 'utf8'));
    const times = new Set(points.map((point) => point.timestamp));
    for (const event of found) {
      expect(Object.keys(event).sort()).toEqual(['detector', 'direction', 'end', 'kind', 'severity', 'start']);
      expect(times.has(event.start) && times.has(event.end)).toBe(true);
      expect(event.end >= event.start).toBe(true);
      expect(['spike', 'dip', 'level-shift', 'drift']).toContain(event.kind);
      expect(event.severity).toBeGreaterThan(0);
    }
    const spikes = points.filter((point) => point.label === 'spike').map((point) => point.timestamp);
    expect(spikes.length).toBeGreaterThan(0);
    const spikeEvents = found.filter((event) => event.kind === 'spike' || event.kind === 'dip');
    expect(spikeEvents.map((event) => event.start)).toEqual(expect.arrayContaining(spikes));
    // A level shift keeps detectors firing for a while: it is one event, not a run of them.
    expect(found.length).toBeLessThan(spikes.length * 3);

    const text = await run('--csv', FIXTURE);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`${found.length} anomalous events in ${points.length} points (season: none)`);
    expect(lines).toHaveLength(found.length + 1);

    const madOnly = JSON.parse((await run('--csv', FIXTURE, '--json', '--detector', 'mad')).stdout) as Event[];
    expect(madOnly.length).toBeGreaterThan(0);
    expect(madOnly.every((event) => event.detector === 'mad')).toBe(true);
  });

  it('models a daily cycle: no alarm on a clean one, one event for an hour-long incident on it', async () => {
    // One point per timestamp: merging repeated ones is the CSV reader's job, not this test's.
    const clean = realisticSeries(CLEAN_SERIES[2] as SeriesSpec, 1).filter(
      (point, i, all) => point.at !== all[i - 1]?.at,
    );
    const toText = (points: readonly { at: number; value: number }[]) =>
      `timestamp,value\n${points.map((point) => `${new Date(point.at).toISOString()},${point.value}`).join('\n')}\n`;
    const quiet = await run('--csv', csv('daily.csv', toText(clean)));
    expect(quiet.stdout.trim()).toBe(`no anomalies in ${clean.length} points (season: daily)`);

    const incident = clean.map((point, i) => (i >= 3000 && i < 3012 ? { ...point, value: point.value + 40 } : point));
    const found = JSON.parse((await run('--csv', csv('incident.csv', toText(incident)), '--json')).stdout) as Event[];
    expect(found).toEqual([
      {
        start: new Date(incident[3000]?.at as number).toISOString(),
        end: new Date(incident[3011]?.at as number).toISOString(),
        kind: 'level-shift',
        direction: 'high',
        severity: expect.any(Number),
        detector: 'seasonal',
      },
    ]);
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
    expect(JSON.parse(result.stdout)).toEqual([madSpikeAt('2026-01-01T00:30:00.000Z')]);

    const quiet = await run('--csv', csv('flat.csv', lines.slice(0, 29).join('\n')));
    expect(quiet.stdout.trim()).toBe('no anomalies in 29 points (season: none)');
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
    expect(JSON.parse(result.stdout)).toEqual([madSpikeAt('2026-01-01T00:30:00.000Z')]);
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
      /^omnicore: unknown detector "magic" \(choose from seasonal, ewma, mad, trend\) \(usage: /,
    );
  });
});
