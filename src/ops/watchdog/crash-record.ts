// What the watchdog leaves behind when the main thread is stuck (a busy loop) or its heap is nearly
// full: where the main thread was. The next start (or the same process, if it recovers) reads it to
// charge the plugin whose code was running.
import { readFileSync, rmSync } from 'node:fs';
import { z } from 'zod';

export interface WatchdogData {
  /** Incremented by the main thread while its event loop turns. */
  heartbeat: Int32Array;
  /** How long the main thread may go without a beat. */
  limitMs: number;
  heapLimitBytes: number;
  /** Under `omnicore run`: the process is ended and restarted rather than left stuck. */
  supervised: boolean;
  recordFile: string;
}

const crashRecord = z.object({
  reason: z.enum(['blocked', 'memory']),
  detail: z.string(),
  at: z.number(),
  /** `url:line function`, innermost first. */
  frames: z.array(z.string()),
});

export type CrashRecord = z.infer<typeof crashRecord>;

/** The record left by the last run, if any, removed so that it is acted on once. */
export function takeCrashRecord(file: string): CrashRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  rmSync(file, { force: true });
  try {
    const parsed = crashRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
