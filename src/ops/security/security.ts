// Assembles the security layer for one platform instance: the event log, the ban store (polled, and
// refreshed on a change signal, so that other instances' bans arrive), the rate limits and flood
// counts (shared in Redis when REDIS_URL is set), the judgement at arrival and the handle-time ban
// check. `main.ts` gives `admit` to the intake, mounts `middleware` first and hands `bans` and
// `events` to the rest.
import { once } from 'node:events';
import type { Middleware } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Logger } from '../../config/logger.js';
import type { Admit } from '../../core/admission.js';
import type { BotContext } from '../../core/context.js';
import type { PlatformMetrics } from '../../core/metrics.js';
import { type ChangeSignal, noChangeSignal, REDIS_KEY_PREFIX } from '../../db/change-signal.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { repeat } from '../../lib/repeat.js';
import { createAdmission } from './admission.js';
import { BanStore } from './ban-store.js';
import { FloodDetector } from './flood-detector.js';
import { securityGuard } from './guard.js';
import { Notices, type Notify } from './notices.js';
import { RateLimits } from './rate-limits.js';
import { SecurityEvents } from './security-events.js';
import { LiveSecuritySettings } from './security-settings.js';
import { SharedFloodCounter } from './shared-flood.js';
import { isPayment, judgedUser } from './update-facts.js';

export interface SecurityOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  metrics: PlatformMetrics;
  log: Logger;
  adminIds: readonly number[];
  redisUrl?: string | undefined;
  /** Namespace of the Redis keys; tests give each run its own. */
  keyPrefix?: string;
  /** Bans made or lifted here are signalled to the other instances, and theirs to this one. */
  signal?: ChangeSignal;
  /** How often the bans are read again should a signal be lost (1 s); tests lengthen it. */
  banPollMs?: number;
  /** Sends the notices of arrival ("slow down", "you are banned") through the bot's API. */
  notify: Notify;
  /**
   * Takes the waiting updates that match out of the queue, recorded as dropped for `reason`; returns
   * how many. Called when a user is banned or goes over their limit, never while this is created.
   */
  dropWaiting: (matches: (update: Update) => boolean, reason: string) => number;
  clock?: () => number;
}

export interface Security {
  readonly events: SecurityEvents;
  readonly bans: BanStore;
  /** Judges a new update at arrival: only what is admitted may queue. */
  readonly admit: Admit;
  /** The handle-time check for bans made while an update waited. */
  readonly middleware: Middleware<BotContext>;
  /** Resolves once the notices sent so far were delivered or given up on. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const BAN_POLL_MS = 1000;
const SWEEP_MS = 60_000;
const REDIS_CONNECT_MS = 2000;

export async function createSecurity(options: SecurityOptions): Promise<Security> {
  const { db, settings, metrics, log } = options;
  const clock = options.clock ?? Date.now;
  const adminIds = new Set(options.adminIds);
  const events = new SecurityEvents(db, {
    maxBuffered: 10_000,
    retentionDays: () => settings.get('security.eventRetentionDays'),
    onError: (error) => log.error({ err: error }, 'could not record security events'),
    onDropped: (count) => log.warn({ count }, 'security events dropped: too many at once'),
    clock,
  });
  // A banned or limited user's queued updates go, except payments (never dropped, see update-facts.ts).
  const dropWaiting = (userId: number, reason: 'banned' | 'rate_limited'): void => {
    const dropped = options.dropWaiting((update) => judgedUser(update) === userId && !isPayment(update), reason);
    if (dropped > 0) metrics.securityDrops.inc({ reason }, dropped);
  };
  const signal = options.signal ?? noChangeSignal;
  const bans = new BanStore(db, { adminIds, events, onBan: (userId) => dropWaiting(userId, 'banned'), signal, clock });
  await bans.refresh();
  const stopFollowingBans = signal.subscribe('bans', () => {
    bans.refresh().catch((error: unknown) => log.warn({ err: error }, 'ban refresh failed'));
  });
  const banPollMs = options.banPollMs ?? BAN_POLL_MS;
  const banPolling = repeat(() => bans.refresh(), {
    every: banPollMs,
    firstAfterMs: banPollMs,
    onError: (error) => log.warn({ err: error }, 'ban refresh failed'),
  });
  events.start();

  const redis = options.redisUrl ? await connectRedis(options.redisUrl, log) : undefined;
  const live = new LiveSecuritySettings(settings);
  const rates = () => ({ user: live.get().userRate, chat: live.get().chatRate });
  const keyPrefix = options.keyPrefix ?? REDIS_KEY_PREFIX;
  const limits = new RateLimits({ keyPrefix: `${keyPrefix}:rate`, ...(redis ? { redis } : {}) }, rates());
  live.onChange(() => limits.reconfigure(rates()));
  const memoryFlood = new FloodDetector(clock);
  const flood = redis ? new SharedFloodCounter(redis, { keyPrefix, memory: memoryFlood, log, clock }) : memoryFlood;
  const sweeps = repeat(() => memoryFlood.sweep(live.get().flood.windowMs), {
    every: SWEEP_MS,
    firstAfterMs: SWEEP_MS,
    onError: (error) => log.warn({ err: error }, 'flood sweep failed'),
  });

  const notices = new Notices({
    notify: options.notify,
    defaultLanguage: () => settings.get('bot.defaultLanguage'),
    log,
  });
  const admit = createAdmission({
    adminIds,
    bans,
    limits,
    flood,
    events,
    settings: live,
    notices,
    dropWaiting,
    metrics,
    log,
  });
  return {
    events,
    bans,
    admit,
    middleware: securityGuard({ adminIds, bans, metrics }),
    idle: () => notices.settled(),
    async stop() {
      stopFollowingBans();
      await sweeps.stop();
      await banPolling.stop();
      await events.stop();
      redis?.disconnect();
    },
  };
}

/** Waits briefly for Redis; if it is not there, limits and flood counts run in memory meanwhile. */
async function connectRedis(url: string, log: Logger): Promise<Redis> {
  // Loaded here only: without REDIS_URL the client library is never needed.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  // One line when Redis goes away and one when it is back, not one per reconnection attempt.
  let down = false;
  redis.on('error', (error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, 'redis unreachable; each instance counts rate limits and floods alone until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('redis is back; rate limits and flood counts are shared again');
  });
  const timeout = AbortSignal.timeout(REDIS_CONNECT_MS);
  await once(redis, 'ready', { signal: timeout }).catch(() => {
    if (!down) log.warn('redis not ready yet; each instance counts rate limits and floods alone until it is');
    down = true;
  });
  return redis;
}
