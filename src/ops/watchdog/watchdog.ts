// Starts the watchdog thread (watchdog-worker.ts) and keeps the heartbeat it listens for: a beat every
// quarter second from a timer, which stops when anything holds the event loop. In-process handlers
// cannot be interrupted by anything short of ending the process, so this is what bounds a busy loop.
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { repeat } from '../../lib/repeat.js';
import type { CrashRecord, WatchdogData } from './crash-record.js';

const BEAT_MS = 250;

export interface WatchdogOptions {
  limitMs: number;
  supervised: boolean;
  recordFile: string;
  /** The process lived through an episode (not supervised, or memory that was freed). */
  onEpisode: (record: CrashRecord) => void;
}

export function startWatchdog(options: WatchdogOptions): () => Promise<void> {
  const heartbeat = new Int32Array(new SharedArrayBuffer(4));
  const data: WatchdogData = {
    heartbeat,
    limitMs: options.limitMs,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    supervised: options.supervised,
    recordFile: options.recordFile,
  };
  const worker = new Worker(new URL('./watchdog-worker.js', import.meta.url), { workerData: data });
  worker.on('message', (record: CrashRecord) => options.onEpisode(record));
  worker.unref();
  const beats = repeat(() => Atomics.add(heartbeat, 0, 1), {
    every: BEAT_MS,
    firstAfterMs: BEAT_MS,
    // Adding to a shared counter cannot fail.
    onError: () => {},
  });
  return async () => {
    await beats.stop();
    await worker.terminate();
  };
}
