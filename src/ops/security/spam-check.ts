// Spam heuristics on one message: too many links, mass mentions, or a known spam phrase.
import type { Message } from 'grammy/types';
import { SPAM_PATTERNS } from './spam-patterns.js';

export interface SpamLimits {
  maxLinks: number;
  maxMentions: number;
}

export type SpamSignal = { kind: 'links'; count: number } | { kind: 'mentions'; count: number } | { kind: 'pattern' };

const LINK_ENTITIES = new Set(['url', 'text_link']);
const MENTION_ENTITIES = new Set(['mention', 'text_mention']);
/** For clients that send no entities: bare links and @usernames in the text itself. */
const LINK_TEXT = /\b(?:https?:\/\/|www\.|t\.me\/)\S+/gi;
const MENTION_TEXT = /(?:^|\s)@\w{5,32}\b/g;

export function spamSignal(message: Message | undefined, limits: SpamLimits): SpamSignal | undefined {
  const text = message?.text ?? message?.caption;
  if (!message || !text) return undefined;
  const entities = message.entities ?? message.caption_entities ?? [];
  const links = countOr(entities, LINK_ENTITIES, text, LINK_TEXT);
  if (links > limits.maxLinks) return { kind: 'links', count: links };
  const mentions = countOr(entities, MENTION_ENTITIES, text, MENTION_TEXT);
  if (mentions > limits.maxMentions) return { kind: 'mentions', count: mentions };
  if (SPAM_PATTERNS.some((pattern) => pattern.test(text))) return { kind: 'pattern' };
  return undefined;
}

function countOr(entities: readonly { type: string }[], types: ReadonlySet<string>, text: string, fallback: RegExp) {
  const counted = entities.filter((entity) => types.has(entity.type)).length;
  return Math.max(counted, text.match(fallback)?.length ?? 0);
}
