// The watchdog's own thread: it sees the main thread stop beating (a busy loop in a handler) or its
// heap near the limit (a handler allocating without bound), asks V8's inspector where the main thread
// is at that moment, writes that down as a crash record, and — under a supervisor — ends the process
// so that it restarts; the record lets the next start charge the plugin whose code was running.
import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { repeat } from '../../lib/repeat.js';
import type { CrashRecord, WatchdogData } from './crash-record.js';

const data = workerData as WatchdogData;
// Often: a handler can fill the heap within a second.
const CHECK_MS = 50;
// heap_size_limit counts the young generation's reserve (three 16 MiB semi-spaces on 64-bit), which
// old-space exhaustion never fills; the share is of what is left.
const YOUNG_RESERVE_BYTES = 48 * 2 ** 20;
const HEAP_SHARE = 0.85;
const HEAP_RELIEF = 0.6;

let lastBeat = Atomics.load(data.heartbeat, 0);
let lastBeatAt = Date.now();
// One record per episode: a blockage ends with the next beat, heap pressure when usage falls back.
let blocked = false;
let heapPressure = false;
const session = new Session();
session.connectToMainThread();

// The thread exists for this loop, so it keeps the thread alive.
repeat(check, {
  every: CHECK_MS,
  keepAlive: true,
  onError: (error) => writeSync(2, `watchdog check failed: ${error}\n`),
});

function check(): void {
  const beat = Atomics.load(data.heartbeat, 0);
  const now = Date.now();
  if (beat !== lastBeat) {
    lastBeat = beat;
    lastBeatAt = now;
    blocked = false;
  } else if (!blocked && now - lastBeatAt > data.limitMs) {
    blocked = true;
    void report({
      reason: 'blocked',
      detail: `the event loop was blocked for ${Math.round((now - lastBeatAt) / 1000)} s`,
    });
  }
  session.post('Runtime.getHeapUsage', (error, usage) => {
    // Not in the inspector's typed command list; the protocol answers { usedSize, totalSize }.
    const used = (usage as { usedSize?: number } | undefined)?.usedSize;
    if (error || used === undefined) return;
    const share = used / (data.heapLimitBytes - YOUNG_RESERVE_BYTES);
    if (share < HEAP_RELIEF) heapPressure = false;
    if (heapPressure || share < HEAP_SHARE) return;
    heapPressure = true;
    void report({
      reason: 'memory',
      detail: `the heap reached ${Math.round(used / 2 ** 20)} MiB of ${Math.round(data.heapLimitBytes / 2 ** 20)} MiB`,
    });
  });
}

async function report(what: Pick<CrashRecord, 'reason' | 'detail'>): Promise<void> {
  const record: CrashRecord = { ...what, at: Date.now(), frames: await whereIsMainThread() };
  writeFileSync(data.recordFile, JSON.stringify(record));
  const action = data.supervised
    ? 'ending the process so that the supervisor restarts it'
    : 'not supervised, so left running';
  // Straight to the file descriptor: the main thread, which relays a worker's console, is stuck.
  writeSync(
    1,
    `${JSON.stringify({ level: 60, time: record.at, pid: process.pid, frames: record.frames.slice(0, 5), msg: `watchdog: ${record.detail}; ${action}` })}\n`,
  );
  if (data.supervised) process.kill(process.pid, 'SIGKILL');
  parentPort?.postMessage(record);
}

/** The main thread's call stack right now (script URLs and functions), through a debugger pause. */
function whereIsMainThread(): Promise<string[]> {
  return new Promise((resolve) => {
    const urls = new Map<string, string>();
    const onScript = ({ params }: { params: { scriptId: string; url: string } }) =>
      urls.set(params.scriptId, params.url);
    session.on('Debugger.scriptParsed', onScript);
    session.once('Debugger.paused', ({ params }) => {
      const frames = params.callFrames.map(
        (frame) =>
          `${urls.get(frame.location.scriptId) || frame.url}:${frame.location.lineNumber + 1} ${frame.functionName}`,
      );
      session.off('Debugger.scriptParsed', onScript);
      session.post('Debugger.resume', () => session.post('Debugger.disable', () => resolve(frames)));
    });
    session.post('Debugger.enable', () => session.post('Debugger.pause'));
  });
}
