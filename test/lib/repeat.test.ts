// The one loop every periodic job runs on, with short real intervals: the first run after its delay,
// never two runs at once, failures reported without ending the loop, a stop that waits for the run
// under way, and timers that keep a process alive only when asked to (in child processes).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { repeat } from '../../src/lib/repeat.js';
import { sleep } from '../../src/lib/sleep.js';
import { assertBuilt } from '../support/processes.js';

const REPEAT = pathToFileURL(path.resolve('dist/lib/repeat.js')).href;
/** Node may fire a timer up to a millisecond before its time (it counts in whole milliseconds). */
const TIMER_SLACK_MS = 1;

describe('repeat', () => {
  it('runs first after its delay, then waits the interval after each run ends, never two at once', async () => {
    const starts: number[] = [];
    const ends: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const failures: unknown[] = [];
    const begun = performance.now();
    const loop = repeat(
      async () => {
        starts.push(performance.now());
        mostAtOnce = Math.max(mostAtOnce, ++running);
        // Each run lasts longer than the interval: a timer that ignored the run would overlap it.
        await sleep(30);
        running--;
        ends.push(performance.now());
      },
      { every: 10, firstAfterMs: 60, onError: (error) => failures.push(error) },
    );
    await vi.waitFor(() => expect(ends.length).toBeGreaterThanOrEqual(4), { timeout: 5000, interval: 5 });
    await loop.stop();

    expect(failures).toEqual([]);
    expect(starts[0] as number).toBeGreaterThanOrEqual(begun + 60 - TIMER_SLACK_MS);
    expect(mostAtOnce).toBe(1);
    for (let run = 1; run < starts.length; run++) {
      expect(starts[run] as number).toBeGreaterThanOrEqual((ends[run - 1] as number) + 10 - TIMER_SLACK_MS);
    }
  });

  it('asks for the interval before every wait, so that a changed setting applies at the next run', async () => {
    const intervals = [80, 5, 5];
    const starts: number[] = [];
    const failures: unknown[] = [];
    const loop = repeat(() => starts.push(performance.now()), {
      every: () => intervals.shift() ?? 5,
      onError: (error) => failures.push(error),
    });
    await vi.waitFor(() => expect(starts.length).toBeGreaterThanOrEqual(4), { timeout: 5000, interval: 5 });
    await loop.stop();
    expect(failures).toEqual([]);
    const [first, second, third] = starts as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(80 - TIMER_SLACK_MS);
    expect(third - second).toBeLessThan(80);
  });

  it('reports a run that throws or rejects and goes on with the next', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const loop = repeat(
      async () => {
        runs++;
        if (runs === 1) throw new Error('thrown');
        if (runs === 2) await Promise.reject(new Error('rejected'));
      },
      { every: 5, onError: (error) => errors.push(error) },
    );
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(4), { timeout: 5000, interval: 5 });
    await loop.stop();
    expect(errors.map((error) => (error as Error).message)).toEqual(['thrown', 'rejected']);
  });

  it('reports a synchronous task that throws, and goes on', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    const loop = repeat(
      () => {
        runs++;
        if (runs === 1) throw new Error('sync');
      },
      { every: 5, onError: (error) => errors.push(error) },
    );
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 5 });
    await loop.stop();
    expect(errors).toHaveLength(1);
  });

  it('stops only once the run under way has finished, and runs no more after that', async () => {
    let runs = 0;
    let finished = 0;
    const failures: unknown[] = [];
    const loop = repeat(
      async () => {
        runs++;
        await sleep(100);
        finished++;
      },
      { every: 1, onError: (error) => failures.push(error) },
    );
    await vi.waitFor(() => expect(runs).toBe(1), { timeout: 5000, interval: 5 });
    await loop.stop();
    expect(finished).toBe(1);
    expect(failures).toEqual([]);
    await sleep(50);
    expect(runs).toBe(1);
  });

  it('never runs when stopped before its first run', async () => {
    let runs = 0;
    const loop = repeat(() => runs++, { every: 5, firstAfterMs: 20, onError: () => {} });
    await loop.stop();
    await sleep(50);
    expect(runs).toBe(0);
  });

  describe('in a process that has nothing else to do', () => {
    /** Runs a loop alone in a child process; returns how many runs it had when the process ended. */
    const runsBeforeExit = (keepAlive: boolean, firstAfterMs: number): number => {
      assertBuilt();
      const script = `import { repeat } from '${REPEAT}';
let runs = 0;
process.on('exit', () => console.log(runs));
const loop = repeat(() => { if (++runs === 5) void loop.stop(); }, { every: 10, firstAfterMs: ${firstAfterMs}, keepAlive: ${keepAlive}, onError: () => {} });`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(result.status).toBe(0);
      return Number(result.stdout.trim());
    };

    it('lets the process end: its timers are unref’d', () => {
      // Not at once: Node may still be finishing the module's load for a millisecond or two, long
      // enough for a 0 ms timer to fire even unref'd; a process with nothing to do ends well before 200.
      expect(runsBeforeExit(false, 200)).toBe(0);
    });

    it('keeps it alive until stopped when asked to (a thread that exists for the loop)', () => {
      expect(runsBeforeExit(true, 0)).toBe(5);
    });
  });
});
