// Channel mirroring: each post of a configured Telegram channel (the bot administers it) is queued
// for the rule's Mastodon accounts, and an edit of it edits the statuses. Rules: leave out replies,
// take only posts with a hashtag, keep or drop links. The job of each mirrored post is remembered
// under the channel's message, which is also the queue key, so a post is never queued twice.
import type { Message } from 'grammy/types';
import type { PluginContext } from '../../plugins/api.js';
import { splitAltText, statusText } from './compose.js';
import type { MirrorRule, PublishingConfig } from './config.js';
import type { Queue } from './queue.js';
import type { MediaRef } from './status-jobs.js';
import type { PublishingKey } from './strings.js';

type Ctx = PluginContext<PublishingConfig, PublishingKey>;

export function channelMirror(ctx: Ctx, queue: Queue): void {
  ctx.composer.on(['channel_post', 'edited_channel_post'], async (c, next) => {
    const post = c.channelPost ?? c.editedChannelPost;
    const rules = post ? ctx.config.mirrors.filter((rule) => rule.channel === post.chat.id) : [];
    if (!post || rules.length === 0) return next();
    const edited = c.editedChannelPost !== undefined;
    for (const rule of rules) {
      const status = mirrored(post, rule);
      if (!status) continue;
      for (const account of rule.accounts) {
        const key = `mirror:${post.chat.id}:${post.message_id}:${account}`;
        const origin = `channel ${post.chat.id}/${post.message_id}`;
        const earlier = await ctx.storage.get<string>(key);
        if (edited && earlier) {
          if (rule.mirrorEdits) await queue.edit({ account, job: earlier, text: status.text, origin });
          continue;
        }
        if (earlier) continue;
        const job = await queue.status(
          {
            account,
            text: status.text,
            visibility: rule.visibility,
            ...(rule.language ? { language: rule.language } : {}),
            ...(status.media.length ? { media: status.media } : {}),
            origin,
          },
          { key },
        );
        await ctx.storage.set(key, job.id);
      }
    }
  });
}

/** The status a channel post makes under a rule, or undefined when the rule leaves it out. */
function mirrored(post: Message, rule: MirrorRule): { text: string; media: MediaRef[] } | undefined {
  if (rule.skipReplies && post.reply_to_message) return undefined;
  const raw = post.text ?? post.caption ?? '';
  const entities = post.entities ?? post.caption_entities ?? [];
  if (rule.hashtag && !hasHashtag(raw, rule.hashtag)) return undefined;
  const { text, alt } = splitAltText(statusText(raw, entities, rule.keepLinks));
  const photo = post.photo?.at(-1);
  const media: MediaRef[] = photo
    ? [{ fileId: photo.file_id, mimeType: 'image/jpeg', fileName: 'photo.jpg', ...(alt ? { alt } : {}) }]
    : [];
  if (!text && media.length === 0) return undefined;
  return { text, media };
}

function hasHashtag(text: string, hashtag: string): boolean {
  const tag = hashtag.replace(/^#/, '').toLowerCase();
  return [...text.toLowerCase().matchAll(/#(\w+)/gu)].some((match) => match[1] === tag);
}
