// Providers' decimal strings as minor units (what the ledger holds): exact for every amount, by
// moving the point in the digits; what a currency cannot hold exactly, or is not a plain decimal, is
// no amount at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalAmount, minorAmount } from '../../src/payments/currency.js';

describe('decimal strings as minor units', () => {
  it('reads back every amount it writes, in currencies of 0, 2 and 3 places', () => {
    fc.assert(
      fc.property(fc.constantFrom('USD', 'EUR', 'JPY', 'KWD', 'XTR'), fc.maxSafeNat(), (currency, minor) => {
        expect(minorAmount(decimalAmount(minor, currency), currency)).toBe(minor);
      }),
    );
  });

  it('takes trailing zeros, and refuses places the currency does not have', () => {
    expect(minorAmount('4.99', 'USD')).toBe(499);
    expect(minorAmount('4.990000', 'USD')).toBe(499);
    expect(minorAmount('5', 'USD')).toBe(500);
    expect(minorAmount('0.1', 'USD')).toBe(10);
    expect(minorAmount('500.0', 'JPY')).toBe(500);
    expect(minorAmount('1.234', 'KWD')).toBe(1234);
    expect(minorAmount('4.995', 'USD')).toBeUndefined();
    expect(minorAmount('0.5', 'JPY')).toBeUndefined();
  });

  it('refuses what is not a plain decimal, or too large to hold exactly', () => {
    for (const text of ['', '-1.00', '1e3', '4,99', ' 4.99', '4.', '.5', '0x10', 'NaN']) {
      expect([text, minorAmount(text, 'USD')]).toEqual([text, undefined]);
    }
    expect(minorAmount('90071992547409.92', 'USD')).toBeUndefined();
  });
});
