// What counts as a Telegram update at our door, which chat it belongs to (the dispatcher's
// ordering key) and who sent it (what the limits at arrival judge). Checked before anything is
// stored, so that a malformed body is refused, not retried.
import type { Update } from 'grammy/types';
import { z } from 'zod';

const id = z.number().int().safe();
const peer = z.looseObject({ id });

// The parts of a payload the platform relies on; everything else passes through untouched.
const payload = z.looseObject({
  chat: peer.optional(),
  from: peer.optional(),
  user: peer.optional(),
  message: z.looseObject({ chat: peer }).optional(),
});

type Payload = z.infer<typeof payload>;

const message = z.looseObject({ message_id: id, date: id, chat: peer });
const fromUser = z.looseObject({ id: z.string().min(1), from: peer });

// What the common kinds must carry for a handler to make sense of them; other kinds need only be objects.
// Built once: composing zod schemas per request costs more than checking with them.
const required: Record<string, z.ZodType> = {
  message,
  edited_message: message,
  channel_post: message,
  edited_channel_post: message,
  business_message: message,
  edited_business_message: message,
  callback_query: fromUser,
  inline_query: fromUser.extend({ query: z.string() }),
  shipping_query: fromUser,
  pre_checkout_query: fromUser.extend({ currency: z.string(), total_amount: id }),
};
const schemaByKind = new Map(Object.entries(required).map(([kind, schema]) => [kind, schema.and(payload)]));

const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative().safe() }).superRefine((update, ctx) => {
  const kinds = Object.keys(update).filter((key) => key !== 'update_id');
  if (kinds.length !== 1) {
    ctx.addIssue({ code: 'custom', message: 'an update carries exactly one payload besides update_id' });
    return;
  }
  const kind = kinds[0] as string;
  const result = (schemaByKind.get(kind) ?? payload).safeParse(update[kind]);
  if (!result.success) {
    const issue = result.error.issues[0];
    ctx.addIssue({ code: 'custom', path: [kind, ...(issue?.path ?? [])], message: issue?.message ?? 'invalid' });
  }
});

export type UpdateCheck = { ok: true; update: Update } | { ok: false; error: string };

/** Telegram's deepest updates (a reply to a message with a pinned message…) stay far below this. */
export const MAX_UPDATE_DEPTH = 64;

export function checkUpdate(body: unknown): UpdateCheck {
  // Checked first and without recursion: storing a deeper one would overflow the serialiser's stack.
  if (depthOf(body) > MAX_UPDATE_DEPTH) {
    return { ok: false, error: `an update is never nested deeper than ${MAX_UPDATE_DEPTH} levels` };
  }
  const result = updateSchema.safeParse(body);
  if (result.success) return { ok: true, update: result.data as unknown as Update };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid'}` };
}

/** How deeply objects and arrays nest in `value`, stopping once past the limit. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_UPDATE_DEPTH) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Who sent an update, as far as the platform cares: the id, and the language for replies. */
export interface Sender {
  id: number;
  language_code?: string;
}

/** The one payload besides update_id (checked at the door), without building a copy of the update. */
function payloadOf(update: Update): Payload | undefined {
  for (const key in update) if (key !== 'update_id') return update[key as keyof Update] as unknown as Payload;
  return undefined;
}

/** The chat an update happens in (a callback query's is its message's), if it has one. */
export function chatIdOf(update: Update): number | undefined {
  const body = payloadOf(update);
  return body?.chat?.id ?? body?.message?.chat.id;
}

/** The user who caused an update (`from`, or `user` for reactions and poll answers), if one did. */
export function senderOf(update: Update): Sender | undefined {
  const body = payloadOf(update);
  return (body?.from ?? body?.user) as Sender | undefined;
}

/**
 * The ordering key: updates with the same key are handled one at a time, in update_id order. A
 * pre-checkout query has a line of its own per user: Telegram waits only 10 s for its answer, which
 * must not queue behind a slow conversation in the user's chat (its order to messages is irrelevant).
 */
export function chatKeyOf(update: Update): string {
  if (update.pre_checkout_query) return `pre-checkout:${update.pre_checkout_query.from.id}`;
  const chatId = chatIdOf(update) ?? senderOf(update)?.id;
  return chatId === undefined ? 'global' : String(chatId);
}
