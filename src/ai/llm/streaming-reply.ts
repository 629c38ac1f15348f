// Shows a reply in Telegram while it is still being written: the first message goes out as soon as
// there is text, then it is edited as the text grows, at most once per `intervalMs` and only when
// the text changed, and a last edit carries the whole text. A text longer than one message goes on
// in a new one. Edits stay well inside Telegram's limits (about one per second per chat).
import type { Api } from 'grammy';
import { sleep } from '../../lib/sleep.js';

/** Telegram's limit for the text of one message. */
export const MESSAGE_LIMIT = 4096;

/**
 * Cuts `text` into messages of at most `limit` characters, at the last line break or space when
 * there is one, never inside a surrogate pair. Parts are trimmed and blank ones dropped (Telegram
 * refuses an empty message). A cut depends only on the text before it, so it never moves as the
 * text grows.
 */
export function splitMessages(text: string, limit = MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const breakAt = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const hardCut = /[\uD800-\uDBFF]/.test(rest.charAt(limit - 1)) ? limit - 1 : limit;
    const cut = breakAt > 0 ? breakAt : hardCut;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(breakAt > 0 ? cut + 1 : cut);
  }
  parts.push(rest);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

export class StreamingReply {
  private text = '';
  private readonly shown: { id: number; text: string }[] = [];
  private lastFlushAt = 0;
  private running: Promise<void> | undefined;
  private readonly wakeup = new AbortController();
  private closed = false;
  private failure: unknown;

  constructor(
    private readonly api: Api,
    private readonly chatId: number,
    private readonly intervalMs: number,
  ) {}

  /** Whether any text reached the user (or is on its way). */
  get started(): boolean {
    return this.text.trim().length > 0;
  }

  /** The text so far; it is shown at the next paced flush. */
  update(text: string): void {
    this.text = text;
    if (!this.running && this.failure === undefined) {
      this.running = this.loop()
        .catch((error: unknown) => {
          this.failure = error;
        })
        .finally(() => {
          this.running = undefined;
        });
    }
  }

  /** Shows the final text, paced like the rest; rejects with the Bot API's error if a send or edit failed. */
  async finish(text: string): Promise<void> {
    this.text = text;
    this.closed = true;
    this.wakeup.abort();
    await this.running;
    if (this.failure !== undefined) throw this.failure;
    if (!this.behind()) return;
    await sleep(this.lastFlushAt + this.intervalMs - Date.now());
    await this.flush();
  }

  private async loop(): Promise<void> {
    while (!this.closed && this.behind()) {
      const wait = this.lastFlushAt + this.intervalMs - Date.now();
      if (wait > 0) {
        // `finish` cuts this short, so the final text is not held back by a loop asleep.
        await sleep(wait, this.wakeup.signal);
        continue;
      }
      await this.flush();
    }
  }

  /** Whether the user sees less than the text so far. */
  private behind(): boolean {
    const parts = splitMessages(this.text);
    return parts.length !== this.shown.length || parts.some((part, index) => this.shown[index]?.text !== part);
  }

  private async flush(): Promise<void> {
    const parts = splitMessages(this.text);
    let touched = false;
    for (const [index, part] of parts.entries()) {
      const message = this.shown[index];
      if (!message) {
        const sent = await this.api.sendMessage(this.chatId, part);
        this.shown[index] = { id: sent.message_id, text: part };
        touched = true;
      } else if (message.text !== part) {
        await this.api.editMessageText(this.chatId, message.id, part);
        message.text = part;
        touched = true;
      }
    }
    if (touched) this.lastFlushAt = Date.now();
  }
}
