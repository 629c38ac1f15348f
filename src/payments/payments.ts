// The payments facade the rest of the platform holds: the products plugins declare, the providers
// (Stars always; Telegram invoices, Stripe and the crypto providers when configured), invoices and
// checkout links, the ledger's events announced once they are committed, refunds, reconciliation
// and the entitlements admins grant and revoke by hand.
import type { Kysely } from 'kysely';
import type { EntitlementInfo, EventBus } from '../core/events.js';
import type { Database } from '../db/schema.js';
import { OmniError } from '../errors.js';
import { withinDeadline } from '../lib/deadline.js';
import {
  activeEntitlements,
  type EntitlementChange,
  grantEntitlement,
  hasEntitlement,
  revokeEntitlements,
} from './entitlements.js';
import { type Applied, Ledger, publicPayment, type StoredPayment } from './ledger.js';
import { encodeOffer, type Offer, type Product, parseProducts, STARS } from './products.js';
import type { PaymentProvider, ProviderEvent } from './provider.js';
import {
  invoiceRequest,
  STARS_SUBSCRIPTION_SECONDS,
  starsProvider,
  starsSubscription,
  type TelegramPaymentsApi,
} from './telegram.js';

export interface PaymentsOptions {
  db: Kysely<Database>;
  events: EventBus;
  telegram: TelegramPaymentsApi;
  /** TELEGRAM_PAYMENT_PROVIDER_TOKEN: invoices in money through Telegram. */
  providerToken?: string;
  /** Stripe, the crypto providers: whichever are configured. */
  providers?: readonly PaymentProvider[];
}

export interface ReconcileReport {
  provider: string;
  /** Events the provider reported for the period. */
  seen: number;
  /** Of those, events we had not recorded: what a lost webhook or update missed, now applied. */
  repaired: number;
}

export interface ProviderSummary {
  id: string;
  partialRefunds: boolean;
  checkout: boolean;
  webhook: boolean;
}

export class Payments {
  readonly ledger: Ledger;
  private readonly providers = new Map<string, PaymentProvider>();
  private readonly catalogues = new Map<string, ReadonlyMap<string, Product>>();

  constructor(private readonly options: PaymentsOptions) {
    this.ledger = new Ledger(options.db);
    for (const provider of [starsProvider(options.telegram), ...(options.providers ?? [])]) {
      this.providers.set(provider.id, provider);
    }
  }

  /** The configured providers, for the panel and the CLI. */
  listProviders(): ProviderSummary[] {
    return [...this.providers.values()].map((provider) => ({
      id: provider.id,
      partialRefunds: provider.partialRefunds,
      checkout: provider.checkout !== undefined,
      webhook: provider.webhook !== undefined,
    }));
  }

  provider(id: string): PaymentProvider | undefined {
    return this.providers.get(id);
  }

  /** Whether invoices in money (not Stars) can be sent through Telegram. */
  get telegramInvoices(): boolean {
    return this.options.providerToken !== undefined;
  }

  // ── products ─────────────────────────────────────────────────────────────────────────────

  /** Replaces what `plugin` sells; pre-checkout checks every invoice against the current list. */
  declare(plugin: string, products: readonly unknown[]): Product[] {
    const parsed = parseProducts(plugin, products);
    this.catalogues.set(plugin, new Map(parsed.map((product) => [product.id, product])));
    return parsed;
  }

  /** The plugin was switched off: its invoices are refused at pre-checkout until it is back. */
  withdraw(plugin: string): void {
    this.catalogues.delete(plugin);
  }

  catalogue(plugin: string): ReadonlyMap<string, Product> | undefined {
    return this.catalogues.get(plugin);
  }

  /** Every declared product, as `<plugin>/<id>`. */
  products(): { id: string; plugin: string; product: Product }[] {
    return [...this.catalogues].flatMap(([plugin, products]) =>
      [...products.values()].map((product) => ({ id: `${plugin}/${product.id}`, plugin, product })),
    );
  }

  private offer(plugin: string, productId: string, currency: string | undefined): { offer: Offer; product: Product } {
    const product = this.catalogues.get(plugin)?.get(productId);
    if (!product) throw new OmniError('PAYMENT_PRODUCT_UNKNOWN', `${plugin}/${productId}`);
    const chosen = currency ?? (product.prices[STARS] !== undefined ? STARS : Object.keys(product.prices)[0]);
    const amount = chosen === undefined ? undefined : product.prices[chosen];
    if (chosen === undefined || amount === undefined) {
      throw new OmniError('PAYMENT_CURRENCY_UNPRICED', `${plugin}/${productId} in ${currency}`);
    }
    return {
      product,
      offer: {
        plugin,
        product: productId,
        currency: chosen,
        amount,
        ...(product.grants ? { grant: product.grants } : {}),
      },
    };
  }

  // ── selling ──────────────────────────────────────────────────────────────────────────────

  /** Sends an invoice into a chat: Stars for XTR, else through the provider token. */
  async invoice(chatId: number, plugin: string, productId: string, currency?: string): Promise<void> {
    const { offer, product } = this.offer(plugin, productId, currency);
    const request = invoiceRequest(offer, product, encodeOffer(offer), this.options.providerToken);
    await providerCall('sendInvoice', () => this.options.telegram.sendInvoice(chatId, request));
  }

  /** An invoice link (t.me/$…); a Stars product renewed every 30 days becomes a Telegram subscription. */
  async invoiceLink(plugin: string, productId: string, currency?: string): Promise<string> {
    const { offer, product } = this.offer(plugin, productId, currency);
    const request = invoiceRequest(offer, product, encodeOffer(offer), this.options.providerToken);
    const subscription = starsSubscription(product, offer.currency)
      ? { subscriptionPeriod: STARS_SUBSCRIPTION_SECONDS }
      : {};
    return providerCall('createInvoiceLink', () =>
      this.options.telegram.createInvoiceLink({ ...request, ...subscription }),
    );
  }

  /**
   * A hosted checkout page (Stripe Checkout) for a user: the pending payment is recorded only once
   * the provider made the page, so a provider that fails leaves nothing behind.
   */
  async checkoutLink(
    userId: number,
    plugin: string,
    productId: string,
    currency?: string,
    providerId?: string,
  ): Promise<string> {
    const provider =
      providerId === undefined
        ? [...this.providers.values()].find((candidate) => candidate.checkout)
        : this.providers.get(providerId);
    if (!provider?.checkout) {
      throw new OmniError(
        'PAYMENT_PROVIDER_UNCONFIGURED',
        providerId === undefined
          ? 'checkout links need STRIPE_SECRET_KEY or a crypto provider'
          : `${providerId} makes no checkout pages here`,
      );
    }
    const money =
      currency ?? Object.keys(this.catalogues.get(plugin)?.get(productId)?.prices ?? {}).find((c) => c !== STARS);
    const { offer, product } = this.offer(plugin, productId, money);
    if (offer.currency === STARS)
      throw new OmniError('PAYMENT_CURRENCY_UNPRICED', `${plugin}/${productId}: Stars are paid in Telegram`);
    const request = {
      userId,
      product: `${plugin}/${productId}`,
      title: product.title,
      description: product.description,
      amount: offer.amount,
      currency: offer.currency,
      ...(product.kind === 'subscription' && product.grants?.days ? { renewEveryDays: product.grants.days } : {}),
      ...(offer.grant ? { grant: offer.grant } : {}),
    };
    const checkout = provider.checkout.bind(provider);
    const session = await providerCall('checkout', () => checkout(request));
    await this.record({
      provider: provider.id,
      eventId: `checkout:${session.providerId}`,
      type: 'checkout.created',
      raw: { url: session.url, ...request },
      change: {
        kind: 'pending',
        providerId: session.providerId,
        userId,
        product: request.product,
        amount: offer.amount,
        currency: offer.currency,
      },
    });
    return session.url;
  }

  // ── the ledger ───────────────────────────────────────────────────────────────────────────

  /** Records a provider event once and announces what it changed, after the commit. */
  async record(event: ProviderEvent, actor?: string): Promise<Applied> {
    const applied = await this.ledger.apply(event, actor);
    this.announce(applied);
    return applied;
  }

  private announce(applied: Applied): void {
    const { events } = this.options;
    const payment = applied.payment && publicPayment(applied.payment);
    if (payment && (applied.credited || applied.refunded || applied.opened)) events.emit('paymentUpdated', { payment });
    if (payment && applied.credited) events.emit('paymentSucceeded', { payment });
    if (payment && applied.refunded) events.emit('paymentRefunded', { payment, amount: applied.refunded });
    this.announceEntitlements(applied.entitlements);
  }

  private announceEntitlements(changes: readonly EntitlementChange[]): void {
    for (const change of changes) this.options.events.emit('entitlementChanged', change);
  }

  /**
   * Gives back `amount` (all that is left when absent) through the payment's provider, then records
   * it; the provider's own report of the refund later finds it recorded.
   */
  async refund(paymentId: number, options: { amount?: number; actor: string }): Promise<StoredPayment> {
    const payment = await this.ledger.get(paymentId);
    if (!payment) throw new OmniError('PAYMENT_NOT_FOUND', String(paymentId));
    const left = payment.amount - payment.refundedAmount;
    const amount = options.amount ?? left;
    const provider = this.providers.get(payment.provider) ?? this.providers.get(refunderOf(payment));
    if (payment.status !== 'paid' && payment.status !== 'partially_refunded') {
      throw new OmniError('PAYMENT_NOT_REFUNDABLE', `payment ${paymentId} is ${payment.status}`);
    }
    if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
      throw new OmniError('PAYMENT_NOT_REFUNDABLE', `${amount} is not between 1 and the ${left} left`);
    }
    if (!provider?.refund) {
      throw new OmniError(
        'PAYMENT_NOT_REFUNDABLE',
        `${payment.provider} payments are refunded in the provider's dashboard`,
      );
    }
    if (amount < left && !provider.partialRefunds) {
      throw new OmniError('PAYMENT_NOT_REFUNDABLE', `${provider.id} refunds only in full`);
    }
    await provider.refund(payment, amount);
    await this.record(
      {
        provider: payment.provider,
        eventId: `refund:${payment.providerId}${amount < left || payment.refundedAmount > 0 ? `:${payment.refundedAmount + amount}` : ''}`,
        type: 'refund.requested',
        raw: { by: options.actor, amount },
        change: { kind: 'refunded', providerId: payment.providerId, refundedAmount: payment.refundedAmount + amount },
      },
      options.actor,
    );
    return (await this.ledger.get(paymentId)) as StoredPayment;
  }

  /**
   * Asks each provider that can (the crypto providers) for the state of its open payments, made in
   * the last `withinMs`, and records what changed; returns how many events changed something.
   */
  async poll(provider: string, withinMs: number): Promise<number> {
    const polling = this.providers.get(provider)?.poll;
    if (!polling) return 0;
    const open = await this.ledger.open(provider, Date.now() - withinMs);
    if (open.length === 0) return 0;
    const events = await providerCall(`${provider} status`, () => polling(open));
    let changed = 0;
    for (const event of events) {
      const applied = await this.record(event, 'poller');
      if (applied.credited || applied.opened || applied.refunded) changed++;
    }
    return changed;
  }

  /** Replays each provider's (or each of `only`'s) recent events; what we had missed is applied now. */
  async reconcile(since: number, only?: readonly string[]): Promise<ReconcileReport[]> {
    const reports: ReconcileReport[] = [];
    for (const provider of this.providers.values()) {
      if (!provider.recent || (only && !only.includes(provider.id))) continue;
      const recent = provider.recent.bind(provider);
      const events = await providerCall(`${provider.id} events`, () => recent(since));
      let repaired = 0;
      for (const event of events) {
        const applied = await this.record(event, 'reconciliation');
        if (!applied.duplicate && (applied.credited || applied.refunded || applied.entitlements.length > 0)) repaired++;
      }
      reports.push({ provider: provider.id, seen: events.length, repaired });
    }
    return reports;
  }

  // ── entitlements ─────────────────────────────────────────────────────────────────────────

  has(userId: number, key: string): Promise<boolean> {
    return hasEntitlement(this.options.db, userId, key);
  }

  entitlements(userId: number): Promise<EntitlementInfo[]> {
    return activeEntitlements(this.options.db, userId);
  }

  /** An admin grants `key` by hand (for `days`, or for ever); audited. */
  async grant(userId: number, key: string, options: { days?: number; actor: string; ip?: string }): Promise<void> {
    const now = Date.now();
    const change = await this.options.db.transaction().execute(async (trx) => {
      const granted = await grantEntitlement(
        trx,
        { userId, key, days: options.days, paymentId: null, grantedBy: options.actor },
        now,
      );
      await auditEntitlement(trx, options, 'entitlement.granted', granted, now);
      return granted;
    });
    this.announceEntitlements([change]);
  }

  /** An admin ends every grant of `key` a user holds; audited. */
  async revoke(userId: number, key: string, options: { actor: string; ip?: string }): Promise<boolean> {
    const now = Date.now();
    const changes = await this.options.db.transaction().execute(async (trx) => {
      const ended = await revokeEntitlements(trx, { userId, key }, now);
      for (const change of ended) await auditEntitlement(trx, options, 'entitlement.revoked', change, now);
      return ended;
    });
    this.announceEntitlements(changes);
    return changes.length > 0;
  }
}

/** Telegram invoices paid through a provider token are refunded through that provider (Stripe's). */
const refunderOf = (payment: StoredPayment): string => (payment.provider === 'telegram' ? 'stripe' : payment.provider);

async function auditEntitlement(
  trx: Kysely<Database>,
  who: { actor: string; ip?: string },
  action: string,
  change: EntitlementChange,
  now: number,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: now,
      actor: who.actor,
      action,
      target: `user:${change.userId}`,
      details: JSON.stringify({ key: change.key, until: change.until }),
      ip: who.ip ?? null,
    })
    .execute();
}

/** How long a provider may take before the user is told it failed. */
const PROVIDER_TIMEOUT_MS = 15_000;

/** A provider call that fails or hangs as PAYMENT_PROVIDER_FAILED, with what was being done. */
async function providerCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await withinDeadline(
      call(),
      PROVIDER_TIMEOUT_MS,
      () => new Error(`no answer in ${PROVIDER_TIMEOUT_MS / 1000} s`),
    );
  } catch (error) {
    if (error instanceof OmniError) throw error;
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `${what}: ${(error as Error).message}`);
  }
}
