// The public plugin API's handles for messaging many users (part of `omnicore/plugin`): who is in an
// audience segment, the Bot API without the per-instance pacing, and the deployment's Redis for
// queues shared by every instance.
import type { Api } from 'grammy';
import type { AudienceSelector } from '../core/audience-segment.js';

export { type AudienceSelector, audienceSegment } from '../core/audience-segment.js';

export interface AudienceCount {
  /** Users the segment reaches. */
  recipients: number;
  /** Users of the segment left out because they blocked the bot. */
  blocked: number;
}

/**
 * The bot's users by segment, as private chat ids (a user's id is their chat's). A segment is written
 * `all`, `language:<xx>` (the /settings choice, else Telegram's language), `active:<N>` (a usage event
 * in the last N days, 1–365), `segment:<new|active|dormant|churned>` (the Analytics page's segments)
 * or `entitlement:<key>` (holders now). Bots and users who blocked the bot are never included; the
 * latter are counted. A segment that is not one of these throws OmniError AUDIENCE_BAD_SEGMENT.
 */
export interface PluginAudience {
  /** The segment checked and parsed (the zod schema `audienceSegment` does the same for a form). */
  parse(segment: string): AudienceSelector;
  count(segment: string | AudienceSelector, options?: { now?: number }): Promise<AudienceCount>;
  /**
   * The segment's chat ids in ascending order, a page (`pageSize`, default 500, at most 5000) at a
   * time, each read from the database when asked for; `after` resumes after a chat id already handled.
   */
  chats(
    segment: string | AudienceSelector,
    options?: { after?: number; pageSize?: number; now?: number },
  ): AsyncIterable<number[]>;
  /** Records that Telegram refused a message because the user blocked the bot (403), as the bot does
   *  for its own replies: left out of audiences until the user writes again. */
  markBlocked(chatId: number): Promise<void>;
}

/**
 * The deployment's Redis (REDIS_URL), for queues and counters shared by every instance (BullMQ: pass
 * `prefix` as the queue's prefix). `prefix` is the deployment's key prefix with the plugin's name.
 */
export interface PluginRedis {
  readonly url: string;
  readonly prefix: string;
}

/** The Bot API as grammY's `Api`, without the platform's auto-retry and per-instance throttle. */
export type BulkApi = Api;
