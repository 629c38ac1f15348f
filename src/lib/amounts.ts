// Amounts in minor units (what Telegram and the ledger carry) as people write them: "50 ⭐" for
// Telegram Stars (XTR), "4.99 USD", "500 JPY"; by moving the decimal point in the digits, never
// through floating point.
export function writtenAmount(amount: number, currency: string): string {
  if (currency === 'XTR') return `${amount} ⭐`;
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // A code Intl does not know: the usual two decimals.
  }
  if (digits === 0) return `${amount} ${currency}`;
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  return `${amount < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)} ${currency}`;
}
