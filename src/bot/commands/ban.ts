// /ban (admins): `/ban <user id> [duration|permanent] [reason]`, or /ban in reply to the user's
// message. Without a duration the ban is permanent; bot admins cannot be banned.

import type { BotContext } from '../../core/context.js';
import { OmniError } from '../../errors.js';
import { describeDuration, parseDuration } from '../../lib/durations.js';
import type { CoreCommand } from './core-command.js';

const PERMANENT = new Set(['permanent', 'perm', 'forever']);

export interface BanArguments {
  userId: number;
  /** Undefined: permanent. */
  durationMs: number | undefined;
  reason: string;
}

/** Reads the arguments; the user may instead be the author of the message replied to. */
export function parseBanArguments(text: string, repliedTo: number | undefined): BanArguments | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0];
  let userId = repliedTo;
  if (first !== undefined && /^\d{1,15}$/.test(first)) {
    userId = Number(first);
    words.shift();
  }
  if (userId === undefined) return undefined;
  const second = words[0]?.toLowerCase();
  const durationMs = second === undefined ? undefined : parseDuration(second);
  if (durationMs !== undefined || (second !== undefined && PERMANENT.has(second))) words.shift();
  return { userId, durationMs, reason: words.join(' ') || 'banned by an admin' };
}

export const ban: CoreCommand = {
  info: { command: 'ban', description: (t) => t.commands.ban, adminOnly: true },
  async handle(ctx, { bans }) {
    const request = parseBanArguments(matchOf(ctx), ctx.message?.reply_to_message?.from?.id);
    if (!request) return ctx.reply(ctx.core.t.banUsage);
    const { userId, durationMs, reason } = request;
    try {
      await bans.ban(userId, {
        until: durationMs === undefined ? null : Date.now() + durationMs,
        reason,
        by: `telegram:${ctx.from?.id}`,
      });
    } catch (error) {
      if (error instanceof OmniError && error.code === 'SECURITY_ADMIN_NOT_BANNABLE') {
        return ctx.reply(ctx.core.t.cannotBanAdmin);
      }
      throw error;
    }
    return ctx.reply(ctx.core.t.banned(userId, durationMs === undefined ? undefined : describeDuration(durationMs)));
  },
};

export function matchOf(ctx: BotContext): string {
  return typeof ctx.match === 'string' ? ctx.match : '';
}
