// Payments: invoices, sent in a chat (sendInvoice) or as a link (createInvoiceLink), in Telegram Stars
// (currency XTR, no provider token, exactly one price) or in another currency through a provider
// token. A user paying sends the bot a pre_checkout_query; the bot's answer (answerPreCheckoutQuery,
// within 10 seconds as on Telegram) decides whether a successful_payment message follows. A Stars
// link may be a subscription (subscription_period, 30 days): each next period is charged without
// asking the bot again (renew). Stars payments can be refunded (refundStarPayment, followed by a
// refunded_payment message) and are listed by getStarTransactions, oldest first.
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
  /** A Stars subscription link: seconds between charges. */
  subscriptionPeriod?: number;
}

interface Charge {
  id: string;
  user: User;
  invoice: Invoice;
  date: number;
  refundedAt?: number;
  /** A subscription's charge: the subscription's first charge, and when the period paid for ends. */
  subscription?: { first: string; expiresAt: number };
}

export type PaymentOutcome =
  | { ok: true; chargeId: string; message: Message }
  | { ok: false; reason: 'declined'; errorMessage: string }
  | { ok: false; reason: 'unanswered' };

export interface PayOptions {
  /** How long the bot has to answer the pre_checkout_query (Telegram's 10 s). */
  waitMs?: number;
  /** The user is charged and sees the payment, but the bot never gets its update (lost on the way). */
  undelivered?: boolean;
}

/** What a chat side's Pay button shows: paid (and the user's payment message), or why not. */
export type ChatPayment =
  | { ok: true; chargeId: string; messageId: number }
  | { ok: false; reason: 'declined'; errorMessage: string }
  | { ok: false; reason: 'unanswered' };

/** An invoice message, or just where it is: its chat and id. */
export type InvoiceMessage = { chat: { id: number }; message_id: number };

const STARS = 'XTR';
const MAX_STARS = 100_000;
/** Telegram's one subscription period (30 days), and the most a subscription may cost per period. */
const SUBSCRIPTION_PERIOD = 2_592_000;
const MAX_SUBSCRIPTION_STARS = 10_000;
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
  /** The bot's Stars transactions, oldest first, as getStarTransactions lists them. */
  private readonly transactions: StarTransaction[] = [];

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
  async pay(user: User, invoiceOf: InvoiceMessage | string, options: PayOptions = {}): Promise<PaymentOutcome> {
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
    const answer = await this.core.nextEvent(user.id, since, options.waitMs ?? PRE_CHECKOUT_WAIT_MS, isAnswer);
    this.pending.delete(id);
    if (!answer) return { ok: false, reason: 'unanswered' };
    if (!answer.ok) return { ok: false, reason: 'declined', errorMessage: answer.errorMessage ?? '' };
    const chargeId = newChargeId();
    const period = invoice.subscriptionPeriod;
    const charge = this.charge(
      chargeId,
      user,
      invoice,
      period ? { first: chargeId, expiresAt: unixNow() + period } : undefined,
    );
    return { ok: true, chargeId: charge.id, message: this.paid(charge, options.undelivered) };
  }

  /** The Pay button under an invoice in the user's private chat with the bot (`omnicore chat`, the panel's test chat). */
  async payButton(user: User, messageId: number): Promise<ChatPayment> {
    const outcome = await this.pay(user, { chat: { id: user.id }, message_id: messageId });
    return outcome.ok ? { ok: true, chargeId: outcome.chargeId, messageId: outcome.message.message_id } : outcome;
  }

  /**
   * The next period of a Stars subscription (`chargeId`: any of its charges): Telegram charges the
   * user again without asking the bot, and sends a successful_payment with is_recurring, a new
   * charge id and the new end of the subscription.
   */
  renew(chargeId: string, options: Omit<PayOptions, 'waitMs'> = {}): { chargeId: string; message: Message } {
    const known = this.charges.get(chargeId);
    const period = known?.invoice.subscriptionPeriod;
    if (!known?.subscription || !period) throw badRequest('not a subscription charge');
    const { first } = known.subscription;
    const latest = [...this.charges.values()].filter((charge) => charge.subscription?.first === first).at(-1);
    const expiresAt = (latest?.subscription?.expiresAt ?? unixNow()) + period;
    const charge = this.charge(newChargeId(), known.user, known.invoice, { first, expiresAt });
    return { chargeId: charge.id, message: this.paid(charge, options.undelivered) };
  }

  /** Whether a charge was refunded, as the user's Stars balance would show. */
  refunded(chargeId: string): boolean {
    return this.charges.get(chargeId)?.refundedAt !== undefined;
  }

  /** Telegram takes the user's Stars: a new charge, listed in the bot's transactions. */
  private charge(id: string, user: User, invoice: Invoice, subscription?: Charge['subscription']): Charge {
    const date = unixNow();
    const charge: Charge = { id, user, invoice, date, ...(subscription ? { subscription } : {}) };
    this.charges.set(id, charge);
    if (invoice.currency === STARS)
      this.transactions.push({ id, amount: invoice.total, date, source: partnerOf(charge) });
    return charge;
  }

  /** The successful_payment service message, from the user in the invoice's chat. */
  private paid(charge: Charge, undelivered = false): Message {
    const { invoice, subscription } = charge;
    return this.messages.fromUser(
      charge.user,
      {
        successful_payment: {
          currency: invoice.currency,
          total_amount: invoice.total,
          invoice_payload: invoice.payload,
          ...(subscription
            ? {
                subscription_expiration_date: subscription.expiresAt,
                is_recurring: true,
                ...(subscription.first === charge.id ? { is_first_recurring: true } : {}),
              }
            : {}),
          telegram_payment_charge_id: charge.id,
          provider_payment_charge_id: `${charge.user.id}_${this.charges.size}`,
        },
      },
      { ...chatOf(charge), undelivered },
    );
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
      const invoice = readInvoice(params);
      const { subscription_period: period } = read({ subscription_period: int.optional() }, params);
      if (period !== undefined) {
        if (period !== SUBSCRIPTION_PERIOD || invoice.currency !== STARS)
          throw badRequest('SUBSCRIPTION_PERIOD_INVALID');
        if (invoice.total > MAX_SUBSCRIPTION_STARS) throw badRequest('SUBSCRIPTION_AMOUNT_INVALID');
      }
      const link = `https://t.me/$${randomBytes(12).toString('base64url')}`;
      this.invoices.set(link, { ...invoice, ...(period ? { subscriptionPeriod: period } : {}) });
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
      // A refund keeps the charge's id, as Telegram's transaction list shows it.
      this.transactions.push({
        id: charge.id,
        amount: charge.invoice.total,
        date: charge.refundedAt,
        receiver: partnerOf(charge),
      });
      // In the user's private chat with the bot: unlike the invoice's group, one they cannot have left.
      this.messages.fromUser(charge.user, {
        refunded_payment: {
          currency: STARS,
          total_amount: charge.invoice.total,
          invoice_payload: charge.invoice.payload,
          telegram_payment_charge_id: charge.id,
        },
      });
      return true;
    },
    getStarTransactions: (params) => {
      const p = read({ offset: int.optional(), limit: int.pipe(z.number().min(1).max(100)).optional() }, params);
      const offset = p.offset ?? 0;
      return { transactions: this.transactions.slice(offset, offset + (p.limit ?? 100)) };
    },
  };
}

/** The user's side of a charge in the bot's transactions. */
function partnerOf(charge: Charge) {
  const period = charge.invoice.subscriptionPeriod;
  return {
    type: 'user',
    transaction_type: 'invoice_payment',
    user: charge.user,
    invoice_payload: charge.invoice.payload,
    ...(period ? { subscription_period: period } : {}),
  } as const;
}

/** Where a charge's successful_payment goes: the invoice's chat, or the user's private chat for a link. */
const chatOf = (charge: Charge): { chatId?: number } =>
  charge.invoice.chatId === undefined ? {} : { chatId: charge.invoice.chatId };

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

const newChargeId = (): string => `stx${randomBytes(24).toString('base64url')}`;

function keyOf(message: InvoiceMessage): string {
  return `${message.chat.id}:${message.message_id}`;
}
