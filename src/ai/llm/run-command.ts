// Runs a command for the user as if they had typed it: a message update with the command text, from
// the same user in the same chat, handled by the command handlers (the pipeline: sender, usage
// tracking, admin checks, plugins) — not by the whole bot, whose rate limits and bans already
// judged the message the user actually sent. It reuses the current update's `ctx.api`, so its Bot API calls are
// journaled under the update being handled and are not repeated if that update is retried.
// The texts it sends are collected, so the conversation can remember what the command answered.
import { type Api, Context, type MiddlewareFn } from 'grammy';
import type { Update } from 'grammy/types';
import type { BotContext } from '../../core/context.js';

const CAPTURED_METHODS = new Set(['sendMessage', 'editMessageText']);

interface Capture {
  texts: string[] | undefined;
}

// One collecting transformer per Api (per update), installed on first use.
const captures = new WeakMap<Api, Capture>();

function captureOn(api: Api): Capture {
  let capture = captures.get(api);
  if (!capture) {
    const created: Capture = { texts: undefined };
    api.config.use((prev, method, payload, signal) => {
      const text = (payload as { text?: unknown }).text;
      if (created.texts && CAPTURED_METHODS.has(method) && typeof text === 'string') created.texts.push(text);
      return prev(method, payload, signal);
    });
    captures.set(api, created);
    capture = created;
  }
  return capture;
}

/** Runs `text` (a command) as the sender of `ctx` in its chat; resolves to the texts the bot sent. */
export async function runAsUser(
  ctx: BotContext,
  middleware: MiddlewareFn<BotContext>,
  text: string,
): Promise<string[]> {
  const chat = ctx.chat;
  const from = ctx.from;
  if (!chat || !from) return [];
  const command = /^\/\S+/.exec(text)?.[0] ?? text;
  const update: Update = {
    update_id: ctx.update.update_id,
    message: {
      message_id: ctx.msgId ?? 0,
      date: Math.floor(Date.now() / 1000),
      chat,
      from,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: command.length }],
    },
  } as Update;
  const capture = captureOn(ctx.api);
  capture.texts = [];
  try {
    await middleware(new Context(update, ctx.api, ctx.me) as BotContext, async () => {});
    return capture.texts;
  } finally {
    capture.texts = undefined;
  }
}
