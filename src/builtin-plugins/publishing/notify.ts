// Telling the person who asked how their post went, after the fact: the job runs outside their
// update, so it keeps their chat and language and writes through ctx.api. Best effort: a message
// that cannot be sent never fails (and so never repeats) a post that went out.
import type { PluginContext } from '../../plugins/api.js';
import type { PublishingConfig } from './config.js';
import type { PublishingKey } from './strings.js';

export interface Notify {
  chat: number;
  language: string;
}

type Ctx = PluginContext<PublishingConfig, PublishingKey>;

export async function tell(
  ctx: Ctx,
  notify: Notify | undefined,
  key: PublishingKey,
  params: Record<string, string | number>,
): Promise<void> {
  if (!notify) return;
  try {
    await ctx.api.sendMessage(notify.chat, ctx.t(notify.language, key, params), {
      link_preview_options: { is_disabled: true },
    });
  } catch (error) {
    ctx.log.warn({ err: error, chat: notify.chat }, 'could not tell how a post went');
  }
}
