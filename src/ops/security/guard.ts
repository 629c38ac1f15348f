// The security middleware, first in the chain, for what changed while an update waited: everything
// else was judged at arrival (admission.ts). A ban made meanwhile on another instance, or one that
// reached a handling already running, drops the update here with one Map lookup; admins and
// payments pass, as at arrival.
import type { Middleware } from 'grammy';
import type { BotContext } from '../../core/context.js';
import type { PlatformMetrics } from '../../core/metrics.js';
import type { BanStore } from './ban-store.js';
import { isPayment, judgedUser } from './update-facts.js';

export interface GuardDeps {
  adminIds: ReadonlySet<number>;
  bans: BanStore;
  metrics: PlatformMetrics;
}

export function securityGuard(deps: GuardDeps): Middleware<BotContext> {
  return (ctx, next) => {
    const userId = judgedUser(ctx.update);
    if (userId === undefined || deps.adminIds.has(userId) || !deps.bans.isBanned(userId) || isPayment(ctx.update)) {
      return next();
    }
    deps.metrics.securityDrops.inc({ reason: 'banned' });
    return Promise.resolve();
  };
}
