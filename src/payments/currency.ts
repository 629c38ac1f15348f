// Amounts are integers in a currency's minor units; this turns them into the decimal a person reads,
// by moving the point as many places as the currency's exponent (ISO 4217), never through a float.

/** Currencies without minor units: Telegram Stars and the ISO 4217 currencies of exponent 0. */
const EXPONENT_0 = new Set([
  'XTR',
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'UYI',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** ISO 4217 currencies of exponent 3. */
const EXPONENT_3 = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** How many decimal places the currency's minor unit is: 0 for Stars and yen, 3 for dinars, else 2. */
export function currencyExponent(currency: string): number {
  if (EXPONENT_0.has(currency)) return 0;
  return EXPONENT_3.has(currency) ? 3 : 2;
}

/** 499 USD → "4.99"; 5 USD → "0.05"; 50 XTR → "50". */
export function decimalAmount(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const sign = minor < 0 ? '-' : '';
  return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${digits.slice(-exponent)}`;
}

/** "4.99 USD", "50 XTR". */
export function formatMoney(minor: number, currency: string): string {
  return `${decimalAmount(minor, currency)} ${currency}`;
}

/**
 * "4.99" USD → 499; "4.990000" → 499; "5" JPY → 5. Undefined for what is not a plain decimal, or
 * has more places than the currency's minor unit (an amount the ledger cannot hold exactly).
 */
export function minorAmount(decimal: string, currency: string): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!match) return undefined;
  const exponent = currencyExponent(currency);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return undefined;
  const minor = Number(`${match[1]}${fraction.padEnd(exponent, '0')}`);
  return Number.isSafeInteger(minor) ? minor : undefined;
}
