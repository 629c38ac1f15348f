// What a user holds and bought, in their language: /me (and /subscription), and the thanks after a
// payment. Both read the ledger the platform keeps; the shop stores nothing of its own.
import type { EntitlementInfo, PaymentInfo } from '../../plugins/api.js';
import type { ShopProduct } from './config.js';
import { formatDate, formatPrice, type Translate } from './format.js';
import type { ShopKey } from './strings.js';

/** Purchases /me lists, newest first. */
const RECENT_PURCHASES = 5;

const STATUS: Record<PaymentInfo['status'], ShopKey | undefined> = {
  paid: undefined,
  refunded: 'refunded',
  partially_refunded: 'partiallyRefunded',
  pending: 'pending',
  confirming: 'confirming',
  failed: 'failedPayment',
  expired: 'expired',
  underpaid: 'underpaid',
  late: 'late',
};

export interface Account {
  products: readonly ShopProduct[];
  /** The plugin's name: its products are `<name>/<id>` in the ledger. */
  plugin: string;
  language: string;
  t: Translate;
}

/** The configured product a payment was for, if it is still configured. */
export function productOf(account: Account, payment: PaymentInfo): ShopProduct | undefined {
  const prefix = `${account.plugin}/`;
  const id = payment.product?.startsWith(prefix) ? payment.product.slice(prefix.length) : undefined;
  return account.products.find((product) => product.id === id);
}

/** The /me message: entitlements in force (named after the product that grants them) and recent purchases. */
export function renderAccount(account: Account, held: readonly EntitlementInfo[], bought: readonly PaymentInfo[]) {
  const { t, language } = account;
  if (held.length === 0 && bought.length === 0) return t('meNothing');
  const sections: string[] = [];
  if (held.length > 0) {
    const lines = held.map((entitlement) => {
      const name =
        account.products.find((product) => product.grants?.key === entitlement.key)?.title ?? entitlement.key;
      return entitlement.until === null
        ? t('meForever', { name })
        : t('meUntil', { name, date: formatDate(entitlement.until, language) });
    });
    sections.push([t('meHeading'), ...lines].join('\n'));
  }
  if (bought.length > 0) {
    const lines = bought.slice(0, RECENT_PURCHASES).map((payment) => {
      const title = productOf(account, payment)?.title ?? payment.product ?? '—';
      const status = STATUS[payment.status];
      const price = formatPrice(payment.amount, payment.currency, language);
      return `${formatDate(payment.createdAt, language)} · ${title} · ${price}${status ? ` (${t(status)})` : ''}`;
    });
    sections.push([t('purchasesHeading'), ...lines].join('\n'));
  }
  return sections.join('\n\n');
}

/** The thanks for a payment: what it gave and until when; a renewal says so. */
export function renderThanks(
  account: Account,
  payment: PaymentInfo,
  held: readonly EntitlementInfo[],
  renewal: boolean,
): string {
  const { t, language } = account;
  const product = productOf(account, payment);
  const title = product?.title ?? payment.product ?? '';
  const entitlement = held.find((candidate) => candidate.key === product?.grants?.key);
  if (!entitlement) return t('thanks', { title });
  if (entitlement.until === null) return t('thanksForever', { title });
  const date = formatDate(entitlement.until, language);
  return t(renewal ? 'renewed' : 'thanksUntil', { title, date });
}
