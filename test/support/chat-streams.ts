// Streams of updates over many chats, sent as Telegram sends them (one chat's next update only once
// its last was acknowledged with 200, resending on anything else; many chats at once), and the
// verdict on what the bot answered: lost, answered twice, and per-chat order. Each update is a
// command `/u<update_id>` whose answer names it, so answers are matched to updates by their text.
import type { FakeBotApi, RecordedCall } from './fake-bot-api.js';
import { postWebhook } from './platform.js';
import { textUpdate } from './updates.js';

export interface ChatStream {
  /** Where update number `index` (counted over all chats) is posted: a proxy, or instances in turn. */
  target: (index: number) => string;
  updates: number;
  chats: number;
  /** Requests in flight at once, over all chats (Telegram's webhook max_connections is 40 by default). */
  connections?: number;
  firstUpdateId: number;
  /** Told of each acknowledged update, with how many were acknowledged so far. */
  onAcknowledged?: (count: number) => void;
}

export const FIRST_CHAT = 5000;

/** Sends the stream; resolves with the acknowledged update ids once every update was acknowledged. */
export async function sendChatStreams(stream: ChatStream): Promise<Set<number>> {
  const acknowledged = new Set<number>();
  const perChat = Math.ceil(stream.updates / stream.chats);
  let slots = stream.connections ?? 40;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (slots > 0) {
      slots--;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const releaseSlot = (): void => {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  };
  const chat = async (chat: number): Promise<void> => {
    // Update ids rise round by round over all chats, as Telegram numbers one bot's updates.
    for (let round = 0; round < perChat; round++) {
      const index = round * stream.chats + chat;
      if (index >= stream.updates) return;
      const updateId = stream.firstUpdateId + index;
      const update = textUpdate(`/u${updateId}`, { updateId, chatId: FIRST_CHAT + chat });
      for (let attempt = 0; ; attempt++) {
        await acquire();
        const status = await postWebhook(stream.target(index + attempt), update).then(
          (response) => response.status,
          () => 0,
        );
        releaseSlot();
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      acknowledged.add(updateId);
      stream.onAcknowledged?.(acknowledged.size);
    }
  };
  await Promise.all(Array.from({ length: stream.chats }, (_, index) => chat(index)));
  return acknowledged;
}

/**
 * The ids of updates answered so far, kept up to date as calls arrive: checking a stream of
 * thousands against the whole call list after every call would block the fake Bot API's own
 * process, and so every instance waiting for its answers.
 */
export function answeredUpdates(fake: FakeBotApi): Set<number> {
  const answered = new Set(answersByUpdate(fake).keys());
  fake.onCall = (call) => {
    const id = updateNamedBy(call);
    if (call.method === 'sendMessage' && id !== undefined) answered.add(id);
  };
  return answered;
}

function updateNamedBy(call: RecordedCall): number | undefined {
  const id = Number(/\/u(\d+)/.exec(String(call.params.text))?.[1]);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** The answers the fake received (whether or not the bot lived to read them), by the update they name. */
export function answersByUpdate(fake: FakeBotApi): Map<number, RecordedCall[]> {
  const byUpdate = new Map<number, RecordedCall[]>();
  for (const call of fake.callsOf('sendMessage', false)) {
    const id = updateNamedBy(call);
    if (id === undefined) continue;
    const calls = byUpdate.get(id);
    if (calls) calls.push(call);
    else byUpdate.set(id, [call]);
  }
  return byUpdate;
}

export interface StreamVerdict {
  lost: number[];
  /** Updates answered more than once. */
  doubled: [number, RecordedCall[]][];
  /** Chats whose first answers came in another order than their update ids. */
  disordered: number[];
}

export function judgeStreams(fake: FakeBotApi, acknowledged: ReadonlySet<number>): StreamVerdict {
  const byUpdate = answersByUpdate(fake);
  const lost = [...acknowledged].filter((id) => !byUpdate.has(id));
  const doubled = [...byUpdate].filter(([, calls]) => calls.length > 1);
  // The order that counts is that of first answers: a repeat (a replay after a kill) comes later.
  const firsts = new Map<number, number[]>();
  const seen = new Set<number>();
  for (const call of fake.callsOf('sendMessage', false)) {
    const id = updateNamedBy(call);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const chat = Number(call.params.chat_id);
    const ids = firsts.get(chat);
    if (ids) ids.push(id);
    else firsts.set(chat, [id]);
  }
  const disordered = [...firsts]
    .filter(([, ids]) => ids.some((id, index) => index > 0 && id < (ids[index - 1] as number)))
    .map(([chat]) => chat);
  return { lost, doubled, disordered };
}
