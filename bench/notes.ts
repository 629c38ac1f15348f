// The words around the figures: the load parameters, the notes on how contestants run, and how to
// read the table. Printed at the start of a run and written into BENCHMARKS.md.
import { CHATS, CONNECTIONS, UPDATES, WARMUP_UPDATES } from './settings.js';
import { STREAM_MIX } from './update-stream.js';

export function parameters(): string {
  return (
    `${UPDATES} webhook updates per contestant (after ${WARMUP_UPDATES} unmeasured warm-up updates to other chats), ` +
    `${CONNECTIONS} connections with one request in flight each (autocannon), ${CHATS} private chats of one user each; ` +
    `messages: ${STREAM_MIX}.`
  );
}

export const NOTES = [
  'OMNICore runs its core pipeline (webhook checks, durable inbox, per-chat dispatcher, user state, usage tracking, ' +
    'call journal, core commands, the plugin host). The built-in AI Suggestions plugin stays off (its default); the "11 plugins" run measures ' +
    'the plugin layer instead: the example notes plugin and ten plugins that each see every update (a middleware), ' +
    'add a command and listen to an event, all switched on. Its difference to OMNICore (SQLite) is the cost of plugins, ' +
    'within the noise of two separate runs; the plugin layer section measures the same plugins in one process, in ' +
    'alternating rounds, where nothing else varies.',
  'The "2 experiments" run is OMNICore (SQLite) with two experiments of the mutation engine running, started with ' +
    "`omnicore experiments start` before the load: the /start greeting (bot.welcome) and the conversation's confidence " +
    'threshold, each on a quarter of the users. Users who get /start or write text are assigned an arm (a row and an ' +
    'audit entry the first time), and what they do after is recorded; its difference to OMNICore (SQLite) is what ' +
    'running experiments cost.',
  'Every contestant is a child process of its own, started with `node`; all point at one fake Bot API server ' +
    "running in the benchmark process beside the load generator. It is the test suite's own " +
    '(test/support/fake-bot-api.ts, which records every call): against a minimal server that only answers ' +
    'sendMessage it costs about 42 instead of 35 µs of CPU per call, too little to justify a second fake.',
  'OMNICore runs as `omnicore start` in webhook mode with TELEGRAM_THROTTLE=off and LOG_LEVEL=warn, otherwise ' +
    'on its defaults: SQLite in a temporary DATA_DIR (default SQLITE_SYNCHRONOUS), or PostgreSQL in a fresh schema ' +
    'that is dropped afterwards.',
  'Instances: OMNICore on PostgreSQL runs once more as one instance and as two, each time behind the round-robin ' +
    'proxy of the fault tests (test/support/round-robin-proxy.ts) in a process of its own, which sends each webhook ' +
    'to the next instance in turn. The one instance goes through the proxy too, so that the ratio two ÷ one ' +
    "compares the instances and not the proxy's cost against two only. The two share one PostgreSQL schema and one " +
    'DATA_DIR (as the README allows on one machine), are started one after the other, and take chats by lease; ' +
    'their memory and CPU are summed over both processes, and start → ready runs until both and the proxy are ready. ' +
    'Everything shares the same cores, so the ratio says what a second instance brings on this machine, not on two. ' +
    '`BENCH_ONLY=instances` runs this comparison alone.',
  'For profiling: `BENCH_ONLY=omnicore-sqlite,grammy BENCH_UPDATES=10000 BENCH_CPU_PROF=/tmp/prof npm run bench` ' +
    'runs some contestants, on a shorter stream, each child under `node --cpu-prof`; such runs leave BENCHMARKS.md alone.',
];

export const HOW_TO_READ = [
  'Acknowledged: the webhook POST answered 200. OMNICore answers once the update is stored durably and handles it ' +
    'afterwards; the bare grammY and Telegraf bots answer only after their handler ran, so their acknowledgement ' +
    'includes the sendMessage round trip and is close to their end-to-end time.',
  'End-to-end: from writing the update on the socket to the fake Bot API reading the matching sendMessage (matched per ' +
    'chat, oldest unanswered update first). Replies / s: matched replies over the time from the first update sent to ' +
    'the last reply seen.',
  "Ratios divide OMNICore's figure by bare grammY's: above 1 is better for the rates (↑), worse for latencies, memory, " +
    'start time and CPU (↓).',
  'Peak RSS is VmHWM of the contestant process over its whole life; idle RSS is VmRSS two seconds after it was ready. ' +
    "PostgreSQL's own processes are not counted; SQLite runs inside OMNICore and is. Start → ready runs from spawn to " +
    'the first 200 from /readyz (OMNICore) or to the first webhook call answered 200 (the others).',
  "CPU per update is the contestant's user + system CPU time during the measured stream divided by its updates. " +
    "The CPU row splits the machine's busy time during the stream between the contestant, the benchmark process " +
    '(load generator and fake Bot API) and everything else (PostgreSQL in its run; much elsewhere means the machine ' +
    'was busy and the figures are skewed). Everything shares the cores, so rates are relative, not capacities.',
  "The load is a closed loop, as Telegram's own delivery is (one update at a time on each of up to max_connections " +
    'connections): mean acknowledgement latency is about connections / acknowledged per second, so a p99 under ' +
    '20 ms at 50 connections needs well over 2,500 acknowledgements per second.',
  'When a contestant acknowledges faster than it answers, a backlog builds up in its inbox and end-to-end latency ' +
    'measures that queue: it grows with the length of the stream.',
];
