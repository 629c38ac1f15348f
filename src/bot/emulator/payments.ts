// Payments: invoices, sent in a chat (sendInvoice) or as a link (createInvoiceLink), in Telegram Stars
// (currency XTR, no provider token, exactly one price) or in another currency through a provider
// token. A user paying sends the bot a pre_checkout_query; the bot's answer (answerPreCheckoutQuery,
// within 10 seconds as on Telegram) decides whether a successful_payment message follows. Stars
// payments can be refunded (refundStarPayment) and are listed by getStarTransactions.
import { randomBytes, randomInt } from 'node:crypto';
import type { Message, StarTransaction, User } from 'grammy/types';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import { unixNow } from './chat-store.js';
import type { BotEvent, EmulatorCore, Method } from './events.js';
import { type Messages, queryTooOld } from './messages.js';
import { bool, int, json, type Params, read } from './params.js';
import { deliver, outgoing } from './sending.js';

interface Invoice {
  title: string;
  description: string;
  payload: string;
  currency: string;
  total: number;
  /** Where the invoice was sent; a link's invoice belongs to no chat. */
  chatId?: number;
}

interface Charge {
  id: string;
  user: User;
  invoice: Invoice;
  date: number;
  refundedAt?: number;
}

export type PaymentOutcome =
  | { ok: true; chargeId: string; message: Message }
  | { ok: false; reason: 'declined'; errorMessage: string }
  | { ok: false; reason: 'unanswered' };

const STARS = 'XTR';
const MAX_STARS = 100_000;
/** How long Telegram waits for answerPreCheckoutQuery before the payment fails. */
const PRE_CHECKOUT_WAIT_MS = 10_000;

const invoiceShape = {
  title: z.string().min(1).max(32),
  description: z.string().min(1).max(255),
  payload: z.string(),
  provider_token: z.string().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  prices: json(z.array(z.looseObject({ label: z.string().min(1), amount: int })).min(1)),
  start_parameter: z.string().optional(),
};

export class Payments {
  private readonly invoices = new Map<string, Invoice>();
  private readonly pending = new Map<string, { user: User; answered: boolean }>();
  private readonly charges = new Map<string, Charge>();

  constructor(
    private readonly core: EmulatorCore,
    private readonly messages: Messages,
  ) {}

  // ── the chat side ───────────────────────────────────────────────────────────────────────────

  /**
   * A user pays an invoice (a message holding one, or a link from createInvoiceLink): the bot gets a
   * pre_checkout_query and has `waitMs` (Telegram's 10 s) to accept it; then the successful_payment
   * message goes to the invoice's chat (the user's private chat with the bot for a link).
   */
  async pay(user: User, invoiceOf: Message | string, waitMs = PRE_CHECKOUT_WAIT_MS): Promise<PaymentOutcome> {
    const invoice = this.invoices.get(typeof invoiceOf === 'string' ? invoiceOf : keyOf(invoiceOf));
    if (!invoice) throw badRequest('no such invoice');
    const id = String(randomInt(1, 2 ** 47));
    this.pending.set(id, { user: this.core.store.remember(user), answered: false });
    const since = this.core.lastEventSeq;
    this.core.push({
      pre_checkout_query: {
        id,
        from: user,
        currency: invoice.currency,
        total_amount: invoice.total,
        invoice_payload: invoice.payload,
      },
    });
    const isAnswer = (event: BotEvent): event is Extract<BotEvent, { type: 'pre_checkout_answer' }> =>
      event.type === 'pre_checkout_answer' && event.queryId === id;
    const answer = await this.core.nextEvent(user.id, since, waitMs, isAnswer);
    this.pending.delete(id);
    if (!answer) return { ok: false, reason: 'unanswered' };
    if (!answer.ok) return { ok: false, reason: 'declined', errorMessage: answer.errorMessage ?? '' };
    const charge: Charge = { id: `stx${randomBytes(24).toString('base64url')}`, user, invoice, date: unixNow() };
    this.charges.set(charge.id, charge);
    const message = this.messages.fromUser(
      user,
      {
        successful_payment: {
          currency: invoice.currency,
          total_amount: invoice.total,
          invoice_payload: invoice.payload,
          telegram_payment_charge_id: charge.id,
          provider_payment_charge_id: `${user.id}_${this.charges.size}`,
        },
      },
      invoice.chatId === undefined ? {} : { chatId: invoice.chatId },
    );
    return { ok: true, chargeId: charge.id, message };
  }

  /** Whether a charge was refunded, as the user's Stars balance would show. */
  refunded(chargeId: string): boolean {
    return this.charges.get(chargeId)?.refundedAt !== undefined;
  }

  // ── the bot side ────────────────────────────────────────────────────────────────────────────

  readonly methods: Record<string, Method> = {
    sendInvoice: (params) => {
      const invoice = readInvoice(params);
      const { record, fields } = outgoing(this.core, params, 'text messages');
      const start = typeof params.start_parameter === 'string' ? params.start_parameter : '';
      const message = deliver(this.core, record, {
        ...fields,
        invoice: {
          title: invoice.title,
          description: invoice.description,
          start_parameter: start,
          currency: invoice.currency,
          total_amount: invoice.total,
        },
      });
      this.invoices.set(keyOf(message), { ...invoice, chatId: record.chat.id });
      return message;
    },
    createInvoiceLink: (params) => {
      const link = `https://t.me/$${randomBytes(12).toString('base64url')}`;
      this.invoices.set(link, readInvoice(params));
      return link;
    },
    answerPreCheckoutQuery: (params) => {
      const p = read({ pre_checkout_query_id: z.string(), ok: bool, error_message: z.string().optional() }, params);
      const query = this.pending.get(p.pre_checkout_query_id);
      if (!query || query.answered) throw queryTooOld();
      if (!p.ok && !p.error_message) throw badRequest('parameter "error_message" is required');
      query.answered = true;
      this.core.record({
        chatId: query.user.id,
        type: 'pre_checkout_answer',
        queryId: p.pre_checkout_query_id,
        ok: p.ok,
        ...(p.ok ? {} : { errorMessage: p.error_message }),
      });
      return true;
    },
    refundStarPayment: (params) => {
      const p = read({ user_id: int, telegram_payment_charge_id: z.string() }, params);
      const charge = this.charges.get(p.telegram_payment_charge_id);
      if (!charge || charge.user.id !== p.user_id || charge.invoice.currency !== STARS)
        throw badRequest('CHARGE_NOT_FOUND');
      if (charge.refundedAt !== undefined) throw badRequest('CHARGE_ALREADY_REFUNDED');
      charge.refundedAt = unixNow();
      return true;
    },
    getStarTransactions: (params) => {
      const p = read({ offset: int.optional(), limit: int.pipe(z.number().min(1).max(100)).optional() }, params);
      const transactions: StarTransaction[] = [];
      for (const charge of this.charges.values()) {
        if (charge.invoice.currency !== STARS) continue;
        const partner = {
          type: 'user',
          transaction_type: 'invoice_payment',
          user: charge.user,
          invoice_payload: charge.invoice.payload,
        } as const;
        transactions.push({ id: charge.id, amount: charge.invoice.total, date: charge.date, source: partner });
        if (charge.refundedAt !== undefined)
          transactions.push({
            id: charge.id,
            amount: charge.invoice.total,
            date: charge.refundedAt,
            receiver: partner,
          });
      }
      const offset = p.offset ?? 0;
      return { transactions: transactions.slice(offset, offset + (p.limit ?? 100)) };
    },
  };
}

/** An invoice's terms, refused in Telegram's words where they break its rules. */
function readInvoice(params: Params): Omit<Invoice, 'chatId'> {
  const p = read(invoiceShape, params);
  const payloadBytes = Buffer.byteLength(p.payload);
  if (payloadBytes < 1 || payloadBytes > 128) throw badRequest('INVOICE_PAYLOAD_INVALID');
  const stars = p.currency === STARS;
  if (stars ? (p.provider_token ?? '') !== '' : !p.provider_token) throw badRequest('PAYMENT_PROVIDER_INVALID');
  if (stars && p.prices.length !== 1) throw badRequest('STARS_INVOICE_INVALID');
  const total = p.prices.reduce((sum, price) => sum + price.amount, 0);
  if (total <= 0 || (stars && total > MAX_STARS)) throw badRequest('CURRENCY_TOTAL_AMOUNT_INVALID');
  return { title: p.title, description: p.description, payload: p.payload, currency: p.currency, total };
}

function keyOf(message: Message): string {
  return `${message.chat.id}:${message.message_id}`;
}
