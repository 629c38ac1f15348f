// A hosted checkout page (Stripe, or a crypto provider's invoice) sent into the chat and kept up to
// date: the message is remembered under its payment, and every status the payment reaches (waiting,
// confirming on the chain, paid, expired, underpaid, paid too late, refunded) is written into it in
// the user's language. An edit Telegram refuses is let go: a message already showing the status
// stays as it is, one Telegram will not edit any more (deleted, the bot blocked) is forgotten.
import type { PaymentInfo, PluginBotContext, PluginContext } from '../../plugins/api.js';
import { type Account, productOf, renderThanks } from './account.js';
import { providerName, STRIPE } from './catalogue.js';
import type { ShopConfig, ShopProduct } from './config.js';
import { formatPrice, type Translate } from './format.js';
import type { ShopKey } from './strings.js';

type Shop = PluginContext<ShopConfig, ShopKey>;
type Status = PaymentInfo['status'];

/** What the shop keeps per checkout message, under `checkout:<payment id>`. */
interface Remembered {
  chatId: number;
  messageId: number;
  language: string;
  url: string;
}

interface Offer {
  title: string;
  price: string;
  provider: string;
  url: string;
}

const STATUS_LINES: Record<Exclude<Status, 'paid'>, ShopKey> = {
  pending: 'checkoutWaiting',
  confirming: 'checkoutConfirming',
  expired: 'checkoutExpired',
  underpaid: 'checkoutUnderpaid',
  late: 'checkoutLate',
  refunded: 'checkoutRefunded',
  partially_refunded: 'checkoutPartlyRefunded',
  failed: 'checkoutFailed',
};

/** While these last the page can still be paid (or is being paid), so its button stays. */
const OPEN: ReadonlySet<Status> = new Set(['pending', 'confirming']);
/** Nothing follows these: the message is forgotten. */
const FINAL: ReadonlySet<Status> = new Set(['refunded', 'failed']);

const storageKey = (paymentId: number): string => `checkout:${paymentId}`;

function compose(offer: Offer, status: Status, line: string, t: Translate) {
  const { title, price, provider } = offer;
  const intro =
    provider === STRIPE
      ? t('checkoutText', { title })
      : t('cryptoText', { title, price, provider: providerName(provider) });
  const text = t(provider === STRIPE ? 'checkoutButton' : 'cryptoButton', { price });
  const keyboard = OPEN.has(status) ? [[{ text, url: offer.url }]] : [];
  return { text: `${intro}\n\n${line}`, reply_markup: { inline_keyboard: keyboard } };
}

/** Telegram's reason for refusing a request (grammY's GrammyError); undefined for any other failure. */
function refusal(error: unknown): string | undefined {
  const answer = error as { error_code?: unknown; description?: unknown } | null;
  if (typeof answer?.error_code !== 'number') return undefined;
  return typeof answer.description === 'string' ? answer.description : '';
}

export function checkoutMessages(shop: Shop) {
  // One edit at a time per payment, in the order the statuses were recorded.
  const queues = new Map<number, Promise<void>>();

  const account = (language: string): Account => ({
    products: shop.config.products,
    plugin: shop.name,
    language,
    t: (key, params) => shop.t(language, key, params),
  });

  async function edit(payment: PaymentInfo): Promise<void> {
    if (!payment.product?.startsWith(`${shop.name}/`)) return;
    const remembered = await shop.storage.get<Remembered>(storageKey(payment.id));
    if (!remembered) return;
    const { language } = remembered;
    const words = account(language);
    const line =
      payment.status === 'paid'
        ? renderThanks(words, payment, await shop.entitlements.list(payment.userId), false)
        : words.t(STATUS_LINES[payment.status]);
    const offer = {
      title: productOf(words, payment)?.title ?? payment.product ?? '',
      price: formatPrice(payment.amount, payment.currency, language),
      provider: payment.provider,
      url: remembered.url,
    };
    const { text, ...markup } = compose(offer, payment.status, line, words.t);
    let editable = true;
    try {
      await shop.api.editMessageText(remembered.chatId, remembered.messageId, text, markup);
    } catch (error) {
      const reason = refusal(error);
      if (reason === undefined) throw error;
      editable = reason.includes('message is not modified');
      shop.log.debug({ reason, payment: payment.id }, 'Telegram did not edit the checkout message');
    }
    if (!editable || FINAL.has(payment.status)) await shop.storage.delete(storageKey(payment.id));
  }

  /** Writes the payment's new status into its checkout message, if the shop sent one. */
  function update(payment: PaymentInfo): Promise<void> {
    const previous = queues.get(payment.id) ?? Promise.resolve();
    const next = previous
      .then(() => edit(payment))
      .catch((error: unknown) => {
        shop.log.warn({ err: error, payment: payment.id }, 'could not show the status of a payment');
      });
    queues.set(payment.id, next);
    void next.then(() => {
      if (queues.get(payment.id) === next) queues.delete(payment.id);
    });
    return next;
  }

  /** Sends the checkout link for `product` and remembers the message under the payment it opened. */
  async function send(
    c: PluginBotContext<ShopKey>,
    userId: number,
    product: ShopProduct,
    currency: string,
    provider: string,
  ): Promise<void> {
    const startedAt = Date.now();
    const url = await shop.payments.checkoutLink(userId, product.id, { currency, provider });
    const price = formatPrice(product.prices[currency] as number, currency, c.language);
    const offer = { title: product.title, price, provider, url };
    const { text, ...markup } = compose(offer, 'pending', c.t('checkoutWaiting'), c.t.bind(c));
    const sent = await c.reply(text, markup);
    const payment = (await shop.payments.history(userId)).find(
      (candidate) =>
        candidate.product === `${shop.name}/${product.id}` &&
        candidate.provider === provider &&
        candidate.createdAt >= startedAt,
    );
    if (!payment) {
      shop.log.warn({ product: product.id, provider }, 'the checkout link opened no payment the shop can see');
      return;
    }
    const remembered: Remembered = { chatId: sent.chat.id, messageId: sent.message_id, language: c.language, url };
    await shop.storage.set(storageKey(payment.id), remembered);
    // The provider may have moved on while the message was on its way; that update found nothing to edit.
    if (payment.status !== 'pending') await update(payment);
  }

  return { send, update };
}
