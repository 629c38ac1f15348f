// One attempt at a job: the handler run with its JobRun, a deadline that aborts its signal, and what
// the row records afterwards. RetryLater and JobFailure are told apart by name, not class: a plugin
// may hold its own copy of the API module.
import type { JobRun } from '../api-jobs.js';
import { decodeJson, encodeJson } from './json.js';
import { backoffMs, type JobKind } from './kinds.js';
import type { AttemptOutcome, JobRow, JobStore } from './store.js';

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs the handler until it settles or its time is up (then its signal is aborted and it counts as failed). */
export async function runHandler(
  kind: JobKind,
  row: JobRow,
  store: JobStore,
  controller: AbortController,
): Promise<Settled> {
  const run: JobRun = {
    id: row.id,
    kind: row.kind,
    payload: decodeJson(row.payload),
    attempt: row.attempts,
    state: decodeJson(row.state),
    signal: controller.signal,
    save: async (state) => {
      const text = encodeJson(state, `job ${row.id}: the state saved`);
      if (!(await store.saveState(row.id, row.attempts, text))) {
        throw new Error(`job ${row.id}: attempt ${row.attempts} no longer holds the job; its state was not saved`);
      }
    },
  };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      const error = new Error(`timed out after ${kind.timeoutMs} ms`);
      controller.abort(error);
      resolve({ ok: false, error });
    }, kind.timeoutMs);
  });
  const handled = Promise.resolve()
    .then(() => kind.handler(run))
    .then(
      (value): Settled => ({ ok: true, value }),
      (error: unknown): Settled => ({ ok: false, error }),
    );
  try {
    return await Promise.race([handled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the row records for how the attempt settled; `stopping` releases a failed attempt the platform cut short. */
export function outcomeOf(kind: JobKind, row: JobRow, settled: Settled, stopping: boolean): AttemptOutcome {
  if (settled.ok) {
    try {
      return { status: 'done', result: encodeJson(settled.value ?? null, `job ${row.id}: the result`) };
    } catch (error) {
      return outcomeOf(kind, row, { ok: false, error }, stopping);
    }
  }
  const { error } = settled;
  const message = error instanceof Error ? error.message : String(error);
  // Not the job's fault: it runs again as soon as the plugin does, the attempt not counted.
  if (stopping) return { status: 'queued', runAt: Date.now(), error: message, attempts: row.attempts - 1 };
  const name = error instanceof Error ? error.name : undefined;
  if (name === 'JobFailure') return { status: 'failed', error: message };
  if (row.attempts >= row.max_attempts) return { status: 'failed', error: message };
  const delayMs = (error as { delayMs?: unknown }).delayMs;
  const wait =
    name === 'RetryLater' && typeof delayMs === 'number' && delayMs >= 0 ? delayMs : backoffMs(kind, row.attempts);
  return { status: 'queued', runAt: Date.now() + wait, error: message };
}
