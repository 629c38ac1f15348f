// What a failed handling means, judged from the Bot API's answer (grammY's GrammyError: error_code
// and description). Retrying only helps when the failure was passing; Telegram's descriptions are
// stable text, so the known ones are kept in one table here.
// - benign: Telegram already shows what we asked for ("message is not modified": the user pressed
//   the language they use): the update counts as handled.
// - permanent: asking again gets the same answer (the user blocked the bot, the chat or message is
//   gone, no rights): not retried, and no apology is sent, since it could not arrive either.
// - transient: 5xx, network errors (grammY's HttpError), and anything that is not a Bot API answer
//   (a handler's own bug): retried with backoff as before. 429 never gets here: auto-retry waits it out.
// Any other 4xx is a request Telegram refuses as it stands: retrying sends the same request, so it
// is not retried, but the user did not get an answer and is told so.
import { BotError, GrammyError } from 'grammy';

export type FailureKind = 'benign' | 'permanent' | 'refused' | 'transient';

export interface FailureVerdict {
  readonly kind: FailureKind;
  /** Short stable name for metrics and logs (`blocked`, `chat_not_found`, …). */
  readonly reason: string;
  /** The user no longer takes messages from the bot: recorded on the user. */
  readonly userBlockedBot: boolean;
}

interface KnownAnswer {
  readonly description: string;
  readonly kind: 'benign' | 'permanent';
  readonly reason: string;
}

/** Matched as lower-case substrings of the description, first match wins. */
const KNOWN_ANSWERS: readonly KnownAnswer[] = [
  { description: 'message is not modified', kind: 'benign', reason: 'not_modified' },
  { description: 'bot was blocked by the user', kind: 'permanent', reason: 'blocked' },
  { description: 'user is deactivated', kind: 'permanent', reason: 'blocked' },
  { description: 'bot was kicked', kind: 'permanent', reason: 'kicked' },
  { description: 'chat not found', kind: 'permanent', reason: 'chat_not_found' },
  { description: 'message to edit not found', kind: 'permanent', reason: 'message_not_found' },
  { description: 'message to delete not found', kind: 'permanent', reason: 'message_not_found' },
  { description: "message can't be edited", kind: 'permanent', reason: 'message_not_editable' },
  { description: 'not enough rights', kind: 'permanent', reason: 'not_enough_rights' },
  { description: 'have no rights to send', kind: 'permanent', reason: 'not_enough_rights' },
  { description: 'query is too old', kind: 'permanent', reason: 'callback_expired' },
];

export function classifyFailure(error: unknown): FailureVerdict {
  // grammY wraps what a handler threw in a BotError.
  const cause = error instanceof BotError ? error.error : error;
  if (!(cause instanceof GrammyError)) return verdict('transient', 'error');
  const description = cause.description.toLowerCase();
  const known = KNOWN_ANSWERS.find((answer) => description.includes(answer.description));
  if (known) return verdict(known.kind, known.reason);
  if (cause.error_code >= 500 || cause.error_code === 429) return verdict('transient', `http_${cause.error_code}`);
  return verdict('refused', `http_${cause.error_code}`);
}

function verdict(kind: FailureKind, reason: string): FailureVerdict {
  return { kind, reason, userBlockedBot: reason === 'blocked' };
}
