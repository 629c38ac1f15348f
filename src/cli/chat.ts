// `omnicore chat`: a terminal chat with the bot through the built-in emulator. Each line from stdin
// is sent as a user's message ("[Label]" presses that inline button; "[Pay]" pays the last invoice
// the bot sent, in emulated Stars or money, nothing real), and the next line goes once
// the bot has handled it, so a piped script reads like a conversation. Replies are printed whenever
// they arrive while stdin is open, however late; when stdin closes it waits until the chat's
// updates are handled (bounded), prints what they sent, and exits. With no server on PORT it
// starts one in-process.
import { createInterface } from 'node:readline';
import type { InlineKeyboardButton, Message } from 'grammy/types';
import { pino } from 'pino';
import type { BotEvent } from '../bot/emulator/emulator.js';
import type { ChatPayment } from '../bot/emulator/payments.js';
import { EMULATOR_PREFIX } from '../bot/emulator/routes.js';
import { type Config, loadConfig, secretValues } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { localServerUrl } from '../config/server-url.js';
import { writtenAmount } from '../lib/amounts.js';
import { sleep } from '../lib/sleep.js';
import { type Platform, startPlatform } from '../main.js';
import { UsageError } from './usage.js';

const USER = { userId: 1001, firstName: 'You' };
/** How long a line may take to be handled before the next one is sent anyway. */
const LINE_MS = 5000;
/** How long, once stdin closed, the chat's updates may take to be handled before it exits anyway. */
const CLOSING_MS = 10_000;
/** How often to ask whether the chat's updates are handled. */
const PENDING_POLL_MS = 100;
/** One long poll for replies; the emulator holds it at most 30 s. */
const FOLLOW_WAIT_MS = 25_000;

export async function runChat(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  const config = loadConfig();
  const { base, platform } = await connect(config);
  const chat = new ChatSession(`${base}${EMULATOR_PREFIX}/chat`);
  const username = await chat.open();
  if (process.stdin.isTTY) {
    console.log(
      `Chatting with @${username}. Type a message, [Button] to press a button, [Pay] to pay an invoice, Ctrl-D to leave.`,
    );
  }
  const following = chat.follow();
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const raw of lines) {
    const text = raw.trim();
    if (text) await chat.say(text);
  }
  await chat.settle(CLOSING_MS);
  chat.stop();
  await following;
  await platform?.stop();
  return 0;
}

async function connect(config: Config): Promise<{ base: string; platform?: Platform }> {
  const base = localServerUrl(config.HOST, config.PORT);
  const probe = await fetch(`${base}${EMULATOR_PREFIX}/chat`).catch(() => undefined);
  if (probe?.ok) return { base };
  if (probe) {
    throw new Error(
      `the server on port ${config.PORT} runs with a real bot (BOT_TOKEN); chat needs the built-in emulator`,
    );
  }
  // Logs go to stderr, and only warnings: stdout belongs to the conversation.
  const level = config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL;
  const logger = createLogger({ LOG_LEVEL: level }, secretValues(config), pino.destination(2));
  const platform = await startPlatform(config, { logger });
  await platform.ready;
  return { base: platform.url, platform };
}

/** What "[Pay]" pays when the bot's latest keyboard has no button of that name. */
const PAY = 'Pay';

class ChatSession {
  private lastSeq = 0;
  private keyboard: { messageId: number; buttons: InlineKeyboardButton[] } | undefined;
  /** The invoices the bot sent, by message id, with what they cost; the last one is what "[Pay]" pays. */
  private readonly invoices = new Map<number, string>();
  private lastInvoice: number | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly url: string) {}

  async open(): Promise<string> {
    const info = (await (await fetch(this.url)).json()) as { bot: { username: string }; lastSeq: number };
    this.lastSeq = info.lastSeq;
    return info.bot.username;
  }

  /** Prints the bot's events as they arrive, until stop(). */
  async follow(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const events = await this.events(FOLLOW_WAIT_MS, this.stopping.signal).catch((error: unknown) => {
        if (this.stopping.signal.aborted) return [];
        throw error;
      });
      for (const event of events) this.show(event);
    }
  }

  stop(): void {
    this.stopping.abort();
  }

  /** Sends one line and waits (bounded) until the bot has handled it, its answer printed. */
  async say(text: string): Promise<void> {
    const label = /^\[(.+)\]$/.exec(text)?.[1];
    const button = label ? this.keyboard?.buttons.find((candidate) => candidate.text === label) : undefined;
    const invoice = this.invoiceToPay(label, button);
    const response = invoice
      ? await post(`${this.url}/payments`, { ...USER, messageId: invoice })
      : button && this.keyboard && 'callback_data' in button
        ? await post(`${this.url}/buttons`, { ...USER, messageId: this.keyboard.messageId, data: button.callback_data })
        : await post(`${this.url}/messages`, { ...USER, text });
    if (!response.ok) {
      console.error(`omnicore: the emulator refused that: ${await response.text()}`);
      return;
    }
    if (invoice) console.log(paymentLine((await response.json()) as ChatPayment, this.invoices.get(invoice)));
    await this.settle(LINE_MS);
  }

  /** The invoice a line pays: a pay button's, or for "[Pay]" the last invoice when no button has that name. */
  private invoiceToPay(label: string | undefined, button: InlineKeyboardButton | undefined): number | undefined {
    if (button) return 'pay' in button ? this.keyboard?.messageId : undefined;
    return label === PAY ? this.lastInvoice : undefined;
  }

  /** Waits until none of this chat's updates is left unhandled (or `limitMs` passed), then prints what they sent. */
  async settle(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while ((await this.pending()) > 0 && Date.now() < deadline) await sleep(PENDING_POLL_MS);
    // The follow loop may not have seen the last replies yet; show() skips what it already printed.
    for (const event of await this.events(0)) this.show(event);
  }

  private async pending(): Promise<number> {
    const response = await fetch(`${this.url}/pending?userId=${USER.userId}`);
    return ((await response.json()) as { pending: number }).pending;
  }

  private async events(waitMs: number, signal?: AbortSignal): Promise<BotEvent[]> {
    const query = `userId=${USER.userId}&after=${this.lastSeq}&waitMs=${waitMs}`;
    const response = await fetch(`${this.url}/events?${query}`, signal ? { signal } : {});
    return ((await response.json()) as { events: BotEvent[] }).events;
  }

  private show(event: BotEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    if (event.type === 'message' || event.type === 'edit') {
      const buttons = buttonsOf(event.message);
      if (buttons.length > 0) this.keyboard = { messageId: event.message.message_id, buttons };
      const { invoice } = event.message;
      if (invoice) {
        this.invoices.set(event.message.message_id, writtenAmount(invoice.total_amount, invoice.currency));
        this.lastInvoice = event.message.message_id;
      }
    }
    const shown = render(event);
    if (shown) console.log(shown);
  }
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

function render(event: BotEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return `bot › ${describeMessage(event.message)}`;
    case 'edit':
      return `bot (edited) › ${describeMessage(event.message)}`;
    case 'delete':
      return '(the bot deleted a message)';
    case 'callback_answer':
      return event.text ? `bot (notice) › ${event.text}` : undefined;
    case 'chat_action':
      return undefined;
  }
}

function describeMessage(message: Message): string {
  const buttons = buttonsOf(message).map((button) => `[${button.text}]`);
  if (message.invoice) {
    const { title, total_amount: amount, currency } = message.invoice;
    return [`[Invoice: ${title} — ${writtenAmount(amount, currency)}]`, ...buttons].join(' ');
  }
  const text = [mediaOf(message), message.text ?? message.caption].filter(Boolean).join(' ');
  return buttons.length > 0 ? `${text}\n      ${buttons.join(' ')}` : text;
}

/** A file the message carries, as `[Document: name, 12.3 KiB]` or `[Photo 640×480]`; a terminal shows no more. */
function mediaOf(message: Message): string | undefined {
  if (message.document) {
    const size =
      message.document.file_size === undefined ? '' : `, ${(message.document.file_size / 1024).toFixed(1)} KiB`;
    return `[Document: ${message.document.file_name ?? 'unnamed'}${size}]`;
  }
  const photo = message.photo?.at(-1);
  return photo ? `[Photo ${photo.width}×${photo.height}]` : undefined;
}

/** A message's inline buttons; an invoice without a keyboard of its own shows Telegram's Pay button. */
function buttonsOf(message: Message): InlineKeyboardButton[] {
  const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
  return message.invoice && buttons.length === 0 ? [{ text: PAY, pay: true }] : buttons;
}

function paymentLine(payment: ChatPayment, amount = ''): string {
  if (payment.ok) return `(you paid ${amount})`;
  if (payment.reason === 'declined') return `(payment declined: ${payment.errorMessage})`;
  return '(payment failed: the bot did not answer in time)';
}
