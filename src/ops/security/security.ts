// Assembles the security layer for one platform instance: the event log, the ban store (polled so
// other instances' bans arrive), the rate limits (Redis when REDIS_URL is set), flood detection and
// the middleware. `main.ts` mounts `middleware` first and hands `bans` and `events` to the rest.
import { once } from 'node:events';
import type { Middleware } from 'grammy';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { BotContext } from '../../bot/context.js';
import type { Logger } from '../../config/logger.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { PlatformMetrics } from '../metrics.js';
import { BanStore } from './ban-store.js';
import { FloodDetector } from './flood-detector.js';
import { securityGuard } from './guard.js';
import { RateLimits } from './rate-limits.js';
import { SecurityEvents } from './security-events.js';
import { LiveSecuritySettings } from './security-settings.js';

export interface SecurityOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  metrics: PlatformMetrics;
  log: Logger;
  adminIds: readonly number[];
  redisUrl?: string | undefined;
  /** Namespace of the Redis keys; tests give each run its own. */
  keyPrefix?: string;
  clock?: () => number;
}

export interface Security {
  readonly events: SecurityEvents;
  readonly bans: BanStore;
  readonly middleware: Middleware<BotContext>;
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
  const bans = new BanStore(db, { adminIds, events, clock });
  await bans.refresh();
  bans.watch(BAN_POLL_MS, (error) => log.warn({ err: error }, 'ban refresh failed'));
  events.start();

  const redis = options.redisUrl ? await connectRedis(options.redisUrl, log) : undefined;
  const live = new LiveSecuritySettings(settings);
  const rates = () => ({ user: live.get().userRate, chat: live.get().chatRate });
  const limits = new RateLimits(
    { keyPrefix: options.keyPrefix ?? 'omnicore:rate', ...(redis ? { redis } : {}) },
    rates(),
  );
  live.onChange(() => limits.reconfigure(rates()));
  const flood = new FloodDetector(clock);
  const sweeper = setInterval(() => flood.sweep(live.get().flood.windowMs), SWEEP_MS);
  sweeper.unref();

  const middleware = securityGuard({
    adminIds,
    bans,
    limits,
    flood,
    events,
    settings: live,
    defaultLanguage: () => settings.get('bot.defaultLanguage'),
    metrics,
    log,
  });
  return {
    events,
    bans,
    middleware,
    async stop() {
      clearInterval(sweeper);
      bans.unwatch();
      await events.stop();
      redis?.disconnect();
    },
  };
}

/** Waits briefly for Redis; if it is not there, the limiters run on their in-memory insurance. */
async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  // One line when Redis goes away and one when it is back, not one per reconnection attempt.
  let down = false;
  redis.on('error', (error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, 'redis unreachable; each instance counts rate limits alone until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('redis is back; rate limits are shared again');
  });
  const timeout = AbortSignal.timeout(REDIS_CONNECT_MS);
  await once(redis, 'ready', { signal: timeout }).catch(() => {
    if (!down) log.warn('redis not ready yet; each instance counts rate limits alone until it is');
    down = true;
  });
  return redis;
}
