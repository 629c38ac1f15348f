// Prices and dates in the user's language. Amounts stay integers of minor units until Intl formats
// them: the decimal point is placed in the digits' text, never by dividing a float.
import type { StringParams } from '../../plugins/api.js';
import type { ShopProduct } from './config.js';
import type { ShopKey } from './strings.js';

export const STARS = 'XTR';

export type Translate = (key: ShopKey, params?: StringParams) => string;

/** `50 ⭐`, `1,000 ⭐` for Stars; `$4.99`, `4,99 $`, `¥500` … for money, as the language writes it. */
export function formatPrice(amount: number, currency: string, language: string): string {
  if (currency === STARS) return `${new Intl.NumberFormat(language).format(amount)} ⭐`;
  const money = new Intl.NumberFormat(language, { style: 'currency', currency });
  const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
  const text = String(amount).padStart(digits + 1, '0');
  const decimal = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  // Intl formats a decimal string exactly (Intl.NumberFormat v3); the types know numbers only.
  return money.format(decimal as unknown as number);
}

/** A day as the language writes it, e.g. `Dec 30, 2026` or `30.12.2026` (UTC). */
export function formatDate(epochMs: number, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(epochMs);
}

/** What a product gives for how long: `for 30 days`, `for ever`, `renews every 30 days…`; empty without a grant. */
export function describePeriod(product: ShopProduct, t: Translate): string {
  if (!product.grants) return '';
  const days = product.grants.days;
  if (days === undefined) return t('forEver');
  return t(product.kind === 'subscription' ? 'renewsEvery' : 'forDays', { count: days });
}
