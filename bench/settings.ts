// The benchmark's fixed parameters (the same for every contestant) and the few environment knobs
// meant for profiling runs: BENCH_UPDATES, BENCH_ONLY, BENCH_CPU_PROF.
import { fileURLToPath } from 'node:url';
import { TEST_TOKEN } from '../test/support/fake-bot-api.js';

export const BOT_TOKEN = TEST_TOKEN;
export const WEBHOOK_SECRET = 'bench-webhook-secret_0123456789';
export const WEBHOOK_PATH = '/telegram/webhook';
/** Only given to setWebhook; nothing is ever sent there. */
export const WEBHOOK_URL = 'https://bench.example.test';

/** Open connections to the contestant, each with one request in flight. */
export const CONNECTIONS = 50;
/** Distinct private chats (one user each) the stream is spread over. */
export const CHATS = 1000;
/** Updates in the measured stream; BENCH_UPDATES overrides it for short (profiling) runs. */
export const UPDATES = positiveInt(process.env.BENCH_UPDATES) ?? 20_000;
/** Updates sent first, to other chats, and not measured: JIT, pools and caches warm up. */
export const WARMUP_UPDATES = Math.min(3000, UPDATES);
/** How long to wait for the last replies once every update was acknowledged. */
export const DRAIN_TIMEOUT_MS = 120_000;
/** Wait after ready before reading the idle RSS. */
export const SETTLE_MS = 2000;

/** Contestant ids to run (comma-separated); unset runs them all. */
export const ONLY = process.env.BENCH_ONLY?.split(',').map((id) => id.trim()) ?? undefined;
/** A folder: each child runs with --cpu-prof and writes its profile there. */
export const CPU_PROF_DIR = process.env.BENCH_CPU_PROF || undefined;

/** Only a run with none of the knobs above writes BENCHMARKS.md. */
export const FULL_RUN = !ONLY && !process.env.BENCH_UPDATES && !CPU_PROF_DIR;

/** The package root: bench/ sits directly under it, and so does dist-bench/bench/. */
export const ROOT = findRoot();
/** OMNICore's command line, built: what operators run. */
export const OMNICORE_CLI = `${ROOT}dist/cli/main.js`;

function findRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return here.includes('/dist-bench/')
    ? fileURLToPath(new URL('../../', import.meta.url))
    : fileURLToPath(new URL('../', import.meta.url));
}

function positiveInt(value: string | undefined): number | undefined {
  const number = Number(value);
  return value && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
