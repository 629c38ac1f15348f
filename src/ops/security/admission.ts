// The security layer's judgement, taken when an update arrives and before it queues: admins pass; a
// banned sender is refused with one Map lookup; a flood or spam earns the next ban on the ladder;
// over the rate limits, updates are refused (with one "slow down" per window). Judging at arrival
// means the pace of handling (the outgoing throttle lets a chat have ~1 reply a second) cannot hide
// how fast a user really sends. Only what is admitted joins the dispatcher's queue.
import type { Message, Update } from 'grammy/types';
import type { Logger } from '../../config/logger.js';
import type { AdmissionVerdict } from '../../core/admission.js';
import type { PlatformMetrics } from '../../core/metrics.js';
import { chatIdOf } from '../../core/update-schema.js';
import { describeDuration } from '../../lib/durations.js';
import type { BanStore } from './ban-store.js';
import type { FloodCounter, FloodKind } from './flood-detector.js';
import type { Notices } from './notices.js';
import type { RateLimits, RateVerdict } from './rate-limits.js';
import type { SecurityEventSink } from './security-events.js';
import type { LiveSecuritySettings, SecuritySettings } from './security-settings.js';
import { spamSignal } from './spam-check.js';
import { isPayment, judgedUser } from './update-facts.js';

export interface AdmissionDeps {
  adminIds: ReadonlySet<number>;
  bans: BanStore;
  limits: RateLimits;
  /** In memory or shared in Redis; a verdict in memory comes without waiting. */
  flood: FloodCounter;
  events: SecurityEventSink;
  settings: LiveSecuritySettings;
  notices: Notices;
  /** Drops the updates of a user that wait in the queue, now that they are over their limit. */
  dropWaiting: (userId: number, reason: 'rate_limited') => void;
  metrics: PlatformMetrics;
  log: Logger;
}

type Offence = { type: 'flood' | 'spam'; reason: string; detail: Record<string, unknown> };

const ADMITTED: AdmissionVerdict = { admitted: true };

export function createAdmission(deps: AdmissionDeps): (update: Update) => Promise<AdmissionVerdict> {
  // Users whose ban is being written: their other updates meanwhile are refused, not judged again.
  const punishing = new Set<number>();

  const judge = async (update: Update): Promise<AdmissionVerdict> => {
    const settings = deps.settings.get();
    const userId = judgedUser(update);
    if (userId !== undefined) {
      if (deps.adminIds.has(userId)) return ADMITTED;
      if (deps.bans.isBanned(userId) || punishing.has(userId)) return isPayment(update) ? ADMITTED : refuse('banned');
      if (isPayment(update)) return ADMITTED;
      if (!settings.enabled) return ADMITTED;

      const judged = offenceIn(update, userId, deps);
      // Awaited only when shared: in memory, the judgement stays on this turn of the event loop.
      const offence = judged instanceof Promise ? await judged : judged;
      if (offence) {
        punishing.add(userId);
        try {
          await punish(update, userId, offence, deps);
        } finally {
          punishing.delete(userId);
        }
        return refuse(offence.reason);
      }
      const verdict = await deps.limits.consumeUser(userId);
      if (!verdict.allowed) return throttle(update, 'user', userId, verdict);
    } else if (!settings.enabled) {
      return ADMITTED;
    }
    const chatId = chatIdOf(update);
    if (chatId !== undefined && chatId !== userId) {
      const verdict = await deps.limits.consumeChat(chatId);
      if (!verdict.allowed) return throttle(update, 'chat', chatId, verdict);
    }
    return ADMITTED;
  };

  const throttle = (update: Update, scope: 'user' | 'chat', id: number, verdict: RateVerdict): AdmissionVerdict => {
    if (verdict.firstRefusal) {
      deps.events.record({
        type: 'rate_limited',
        userId: scope === 'user' ? id : null,
        detail: { scope, id, retryMs: verdict.retryMs },
      });
      // A busy group is not told off as a whole (the bot would only add to the noise), nor are its
      // waiting updates dropped: the per-chat backlog cap bounds those.
      if (scope === 'user') {
        deps.notices.send(update, (t) => t.slowDown);
        // What was admitted earlier in the window and still waits would otherwise be answered
        // at the throttle's pace long after the user was told to slow down.
        deps.dropWaiting(id, 'rate_limited');
      }
    }
    return refuse('rate_limited');
  };

  const refuse = (reason: string): AdmissionVerdict => {
    deps.metrics.securityDrops.inc({ reason });
    return { admitted: false, reason };
  };

  return async (update) => {
    try {
      return await judge(update);
    } catch (error) {
      // The update is stored already; refusing it over our own fault would lose it for good.
      deps.log.error({ err: error, updateId: update.update_id }, 'could not judge an update; admitted');
      return ADMITTED;
    }
  };
}

function offenceIn(
  update: Update,
  userId: number,
  deps: AdmissionDeps,
): Offence | undefined | Promise<Offence | undefined> {
  const settings = deps.settings.get();
  const message = update.message ?? update.edited_message;
  const text = message?.text ?? message?.caption;
  const isCommand = message?.entities?.[0]?.type === 'bot_command' && message.entities[0].offset === 0;
  const verdict = deps.flood.check(userId, isCommand ? undefined : text, settings.flood);
  return verdict instanceof Promise
    ? verdict.then((kind) => offenceOf(kind, message, settings))
    : offenceOf(verdict, message, settings);
}

function offenceOf(
  burst: FloodKind | undefined,
  message: Message | undefined,
  { flood, spam }: SecuritySettings,
): Offence | undefined {
  if (burst) {
    const detail =
      burst === 'burst' ? { messages: flood.messages, windowMs: flood.windowMs } : { repeats: flood.repeats };
    return { type: 'flood', reason: burst, detail };
  }
  const signal = spamSignal(message, spam);
  if (signal) return { type: 'spam', reason: signal.kind, detail: 'count' in signal ? { count: signal.count } : {} };
  return undefined;
}

/** The next ban on the ladder; the ban store drops what the user has waiting in the queue. */
async function punish(update: Update, userId: number, offence: Offence, deps: AdmissionDeps): Promise<void> {
  const { ladderSeconds, quietMs } = deps.settings.get();
  deps.events.record({ type: offence.type, userId, detail: { kind: offence.reason, ...offence.detail } });
  const ban = await deps.bans.escalate(userId, `${offence.type}: ${offence.reason}`, ladderSeconds, quietMs);
  deps.flood.forget(userId);
  deps.notices.send(update, (t) => t.youAreBanned(describeDuration((ban.until ?? 0) - ban.createdAt)));
}
