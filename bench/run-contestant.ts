// Runs one contestant through the benchmark: a fresh fake Bot API, start and time to ready, idle
// memory, a warm-up stream, then the measured stream until every reply arrived; returns its figures.
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import type { Contestant } from './contestants.js';
import { deploy } from './deployment.js';
import { Ledger } from './ledger.js';
import { sendStream } from './load.js';
import { machineBusyMs } from './proc-stats.js';
import { DRAIN_TIMEOUT_MS, SETTLE_MS, UPDATES, WARMUP_UPDATES } from './settings.js';
import { maxOf, minPositive, percentile, sortedDurations } from './stats.js';
import { buildStream } from './update-stream.js';

export interface Figures {
  readonly id: string;
  readonly title: string;
  /** Processes of the contestant: its memory and CPU figures are their sums. */
  readonly instances: number;
  readonly updates: number;
  readonly acknowledged: number;
  /** Updates not answered 200: other statuses, connection errors, timeouts. */
  readonly notAcknowledged: number;
  readonly replies: number;
  readonly lost: number;
  readonly doubled: number;
  /** sendMessage calls to chats of no stream (readiness probes). */
  readonly otherReplies: number;
  readonly ackPerSecond: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  readonly endToEndP50Ms: number;
  readonly endToEndP99Ms: number;
  readonly repliesPerSecond: number;
  /** The sum of each instance's own peak. */
  readonly peakRssBytes: number;
  readonly idleRssBytes: number;
  readonly readyMs: number;
  /** The contestant's own CPU time (user + system) per measured update. */
  readonly cpuMsPerUpdate: number;
  /** Seconds from the first update sent to the last reply seen. */
  readonly seconds: number;
  /** CPU use over the measured stream, in % of one core: contestant, benchmark process, all the rest. */
  readonly cpuShares: readonly [number, number, number];
  /** The round-robin proxy's CPU per measured update and in % of one core; undefined without one. */
  readonly proxyCpuMsPerUpdate: number | undefined;
  readonly proxyCpuShare: number | undefined;
}

const WARMUP_CHATS = 100_000;
const MEASURED_CHATS = 200_000;
/** How long without a new reply before the missing ones are declared lost. */
const QUIET_MS = 15_000;

export async function runContestant(contestant: Contestant, log: (line: string) => void): Promise<Figures> {
  const fake = await new FakeBotApi().start();
  let ledger: Ledger | undefined;
  let otherReplies = 0;
  fake.onCall = (call) => {
    if (call.method !== 'sendMessage') return;
    const at = performance.now();
    if (!ledger?.reply(Number(call.params.chat_id), at)) otherReplies++;
  };
  const { spec, dispose } = await contestant.prepare(fake.url);
  try {
    const running = await deploy(contestant, spec);
    try {
      const proxied = contestant.proxiedInstances === undefined ? '' : ', behind the proxy';
      log(`  pid ${running.pids.join(', ')}${proxied}, ready in ${running.readyMs.toFixed(0)} ms`);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const idleRssBytes = running.memory().rss;

      ledger = new Ledger(buildStream(WARMUP_UPDATES, 1, WARMUP_CHATS));
      await sendStream(running.baseUrl, ledger);
      if (!(await ledger.drained(QUIET_MS, DRAIN_TIMEOUT_MS))) log('  warm-up: some replies never came');
      log(`  warm-up: ${WARMUP_UPDATES} updates`);

      const measured = new Ledger(buildStream(UPDATES, WARMUP_UPDATES + 1, MEASURED_CHATS));
      ledger = measured;
      const cpuBefore = running.cpuMs();
      const proxyBefore = running.proxyCpuMs();
      const benchCpuBefore = process.cpuUsage();
      const machineBefore = machineBusyMs();
      const wallBefore = performance.now();
      const outcome = await sendStream(running.baseUrl, measured);
      const failures = outcome.errors + outcome.timeouts;
      log(
        `  sent ${UPDATES} updates${failures ? ` (${failures} connection errors or timeouts)` : ''}; waiting for the replies`,
      );
      if (!(await measured.drained(QUIET_MS, DRAIN_TIMEOUT_MS))) log('  some replies never came');
      const cpuMs = running.cpuMs() - cpuBefore;
      const proxyMs = proxyBefore === undefined ? undefined : (running.proxyCpuMs() ?? 0) - proxyBefore;
      const wallMs = performance.now() - wallBefore;
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const benchMs = (benchCpu.user + benchCpu.system) / 1000;
      // Clock ticks are coarse: a quiet machine can come out a little below zero.
      const othersMs = Math.max(0, machineBusyMs() - machineBefore - cpuMs - (proxyMs ?? 0) - benchMs);
      const share = (ms: number): number => Math.round((100 * ms) / wallMs);
      const cpuShares: [number, number, number] = [share(cpuMs), share(benchMs), share(othersMs)];
      const instances = running.pids.length;
      log(
        `  CPU over ${(wallMs / 1000).toFixed(1)} s, in % of one core: contestant ${cpuShares[0]}` +
          `${instances > 1 ? ` (its ${instances} instances summed)` : ''}, ` +
          `${proxyMs === undefined ? '' : `proxy ${share(proxyMs)}, `}` +
          `load generator + fake Bot API ${cpuShares[1]}, everything else ${cpuShares[2]}` +
          (contestant.id.startsWith('omnicore-postgres') ? ' (PostgreSQL included)' : ''),
      );
      const { peakRss } = running.memory();
      await running.stop();
      for (const [pid, output] of running.outputs()) {
        const said = output.trim().split('\n').filter(Boolean);
        const whose = instances > 1 ? ` (pid ${pid})` : '';
        if (said.length > 0) log(`  its last output lines${whose}:\n    ${said.slice(-5).join('\n    ')}`);
      }
      return figures(contestant, measured, {
        instances,
        otherReplies,
        peakRssBytes: peakRss,
        idleRssBytes,
        readyMs: running.readyMs,
        cpuMs,
        cpuShares,
        proxyCpuMs: proxyMs,
        proxyCpuShare: proxyMs === undefined ? undefined : share(proxyMs),
      });
    } finally {
      await running.stop();
    }
  } finally {
    await dispose();
    await fake.stop();
  }
}

function figures(
  contestant: Contestant,
  ledger: Ledger,
  extra: {
    instances: number;
    otherReplies: number;
    peakRssBytes: number;
    idleRssBytes: number;
    readyMs: number;
    cpuMs: number;
    cpuShares: [number, number, number];
    proxyCpuMs: number | undefined;
    proxyCpuShare: number | undefined;
  },
): Figures {
  const firstSent = minPositive(ledger.sentAt);
  const ackSpan = (maxOf(ledger.ackAt) - firstSent) / 1000;
  const replySpan = (maxOf(ledger.replyAt) - firstSent) / 1000;
  const ack = sortedDurations(ledger.sentAt, ledger.ackAt);
  const endToEnd = sortedDurations(ledger.sentAt, ledger.replyAt);
  return {
    id: contestant.id,
    title: contestant.title,
    instances: extra.instances,
    updates: ledger.items.length,
    acknowledged: ledger.acknowledged,
    notAcknowledged: ledger.items.length - ledger.acknowledged,
    replies: ledger.matched,
    lost: ledger.lost,
    doubled: ledger.doubled,
    otherReplies: extra.otherReplies,
    ackPerSecond: ledger.acknowledged / ackSpan,
    ackP50Ms: percentile(ack, 50),
    ackP99Ms: percentile(ack, 99),
    endToEndP50Ms: percentile(endToEnd, 50),
    endToEndP99Ms: percentile(endToEnd, 99),
    repliesPerSecond: ledger.matched / replySpan,
    peakRssBytes: extra.peakRssBytes,
    idleRssBytes: extra.idleRssBytes,
    readyMs: extra.readyMs,
    cpuMsPerUpdate: extra.cpuMs / ledger.items.length,
    seconds: Math.max(ackSpan, replySpan),
    cpuShares: extra.cpuShares,
    proxyCpuMsPerUpdate: extra.proxyCpuMs === undefined ? undefined : extra.proxyCpuMs / ledger.items.length,
    proxyCpuShare: extra.proxyCpuShare,
  };
}
