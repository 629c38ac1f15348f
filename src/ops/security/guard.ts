// The security middleware, first in the chain: admins pass; a banned sender is dropped with one
// Map lookup; a flood or spam earns the next ban on the ladder; over the rate limits, updates are
// dropped (with one "slow down" per window). Only what passes reaches usage tracking and plugins.
import type { Middleware } from 'grammy';
import type { BotContext } from '../../bot/context.js';
import { type Messages, messages } from '../../bot/i18n.js';
import type { Logger } from '../../config/logger.js';
import type { Language } from '../../config/settings-catalog.js';
import { describeDuration } from '../../lib/durations.js';
import type { PlatformMetrics } from '../metrics.js';
import type { BanStore } from './ban-store.js';
import type { FloodDetector } from './flood-detector.js';
import type { RateLimits, RateVerdict } from './rate-limits.js';
import type { SecurityEventSink } from './security-events.js';
import type { LiveSecuritySettings } from './security-settings.js';
import { spamSignal } from './spam-check.js';

export interface GuardDeps {
  adminIds: ReadonlySet<number>;
  bans: BanStore;
  limits: RateLimits;
  flood: FloodDetector;
  events: SecurityEventSink;
  settings: LiveSecuritySettings;
  /** For the notices: the language of users whose own is not supported. */
  defaultLanguage: () => Language;
  metrics: PlatformMetrics;
  log: Logger;
}

type Offence = { type: 'flood' | 'spam'; reason: string; detail: Record<string, unknown> };

/**
 * Telegram's own senders, shared by many people: service notifications, anonymous group admins and
 * posts made on behalf of channels. They are judged per chat, never as one user to throttle or ban.
 */
const SHARED_SENDERS = new Set([777_000, 1_087_968_824, 136_817_688]);

/** Money moved or is about to: never dropped, or a paid order would go undelivered. */
function isPayment(ctx: BotContext): boolean {
  return !!(
    ctx.preCheckoutQuery ||
    ctx.shippingQuery ||
    ctx.message?.successful_payment ||
    ctx.message?.refunded_payment
  );
}

export function securityGuard(deps: GuardDeps): Middleware<BotContext> {
  // Users whose ban is being written: their other updates meanwhile are dropped, not judged again.
  const punishing = new Set<number>();

  return async (ctx, next) => {
    const settings = deps.settings.get();
    const sender = ctx.from?.id;
    const userId = sender === undefined || SHARED_SENDERS.has(sender) ? undefined : sender;
    if (userId !== undefined) {
      if (deps.adminIds.has(userId)) return next();
      if (deps.bans.isBanned(userId) || punishing.has(userId)) return isPayment(ctx) ? next() : drop(deps, 'banned');
      if (isPayment(ctx)) return next();
      if (!settings.enabled) return next();

      const offence = judge(ctx, userId, deps);
      if (offence) {
        punishing.add(userId);
        try {
          await punish(ctx, userId, offence, deps);
        } finally {
          punishing.delete(userId);
        }
        return drop(deps, offence.reason);
      }
      const verdict = await deps.limits.consumeUser(userId);
      if (!verdict.allowed) return throttle(ctx, 'user', userId, verdict, deps);
    } else if (!settings.enabled) {
      return next();
    }
    const chatId = ctx.chat?.id;
    if (chatId !== undefined && chatId !== userId) {
      const verdict = await deps.limits.consumeChat(chatId);
      if (!verdict.allowed) return throttle(ctx, 'chat', chatId, verdict, deps);
    }
    return next();
  };
}

function judge(ctx: BotContext, userId: number, deps: GuardDeps): Offence | undefined {
  const { flood, spam } = deps.settings.get();
  const message = ctx.message ?? ctx.editedMessage;
  const text = message?.text ?? message?.caption;
  const isCommand = message?.entities?.[0]?.type === 'bot_command' && message.entities[0].offset === 0;
  const burst = deps.flood.check(userId, isCommand ? undefined : text, flood);
  if (burst) {
    const detail =
      burst === 'burst' ? { messages: flood.messages, windowMs: flood.windowMs } : { repeats: flood.repeats };
    return { type: 'flood', reason: burst, detail };
  }
  const signal = spamSignal(message, spam);
  if (signal) return { type: 'spam', reason: signal.kind, detail: 'count' in signal ? { count: signal.count } : {} };
  return undefined;
}

async function punish(ctx: BotContext, userId: number, offence: Offence, deps: GuardDeps): Promise<void> {
  const { ladderSeconds, quietMs } = deps.settings.get();
  deps.events.record({ type: offence.type, userId, detail: { kind: offence.reason, ...offence.detail } });
  const ban = await deps.bans.escalate(userId, `${offence.type}: ${offence.reason}`, ladderSeconds, quietMs);
  deps.flood.forget(userId);
  await notify(ctx, deps, (t) => t.youAreBanned(describeDuration((ban.until ?? 0) - ban.createdAt)));
}

async function throttle(
  ctx: BotContext,
  scope: 'user' | 'chat',
  id: number,
  verdict: RateVerdict,
  deps: GuardDeps,
): Promise<void> {
  drop(deps, 'rate_limited');
  if (!verdict.firstRefusal) return;
  deps.events.record({
    type: 'rate_limited',
    userId: scope === 'user' ? id : null,
    detail: { scope, id, retryMs: verdict.retryMs },
  });
  // A busy group is not told off as a whole: the bot would only add to the noise.
  if (scope === 'user') await notify(ctx, deps, (t) => t.slowDown);
}

function drop(deps: GuardDeps, reason: string): void {
  deps.metrics.securityDrops.inc({ reason });
}

/** Best effort: a notice that fails must not fail the update, which would only be retried. */
async function notify(ctx: BotContext, deps: GuardDeps, text: (t: Messages) => string): Promise<void> {
  if (!ctx.chat) return;
  const code = ctx.from?.language_code?.slice(0, 2) as Language | undefined;
  const t = (code && messages[code]) || messages[deps.defaultLanguage()];
  try {
    await ctx.reply(text(t));
  } catch (error) {
    deps.log.debug({ err: error }, 'security notice not delivered');
  }
}
