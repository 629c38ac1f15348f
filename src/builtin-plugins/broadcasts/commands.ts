// /broadcast <segment> <text> for the bot's admins; answering a photo sends the photo with its
// caption (or with the text given). Telegram's own formatting of a caption is not carried over.
import type { PluginBotContext, PluginContext } from '../../plugins/api.js';
import type { Broadcaster } from './broadcaster.js';
import type { BroadcastsConfig } from './config.js';
import { omniFailure } from './outcome.js';
import type { BroadcastsKey } from './strings.js';

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function broadcastCommand(ctx: PluginContext<BroadcastsConfig, BroadcastsKey>, broadcaster: Broadcaster): void {
  ctx.command(
    'broadcast',
    'Send a message to a segment of the users',
    async (c: PluginBotContext<BroadcastsKey>) => {
      const args = typeof c.match === 'string' ? c.match.trim() : '';
      const [segment = ''] = args.split(/\s+/);
      const text = args.slice(segment.length).trim();
      const replied = c.message?.reply_to_message;
      const photo = replied?.photo?.at(-1)?.file_id;
      if (!segment || (!text && !photo)) return c.reply(c.t('usage'));
      try {
        ctx.audience.parse(segment);
      } catch (error) {
        const failure = omniFailure(error);
        if (failure) return c.reply(c.t('badSegment', { error: failure.message }));
        throw error;
      }
      try {
        const created = await broadcaster.create(
          { text: text || escapeHtml(replied?.caption ?? ''), ...(photo ? { photo } : {}), buttons: [] },
          segment,
          `telegram:${c.from?.id}`,
        );
        const key = created.status === 'queued' ? 'queued' : 'sending';
        const count = created.status === 'queued' ? (await ctx.audience.count(segment)).recipients : created.total;
        return c.reply(c.t(key, { id: created.id, count, blocked: created.skippedBlocked }));
      } catch (error) {
        const failure = omniFailure(error);
        if (failure) return c.reply(c.t('refused', { error: failure.message }));
        throw error;
      }
    },
    { adminOnly: true, sideEffects: true },
  );
}
