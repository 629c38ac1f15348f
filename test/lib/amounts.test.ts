// Amounts in minor units written out as people read them, with the currency's own decimals.
import { describe, expect, it } from 'vitest';
import { writtenAmount } from '../../src/lib/amounts.js';

describe('writtenAmount', () => {
  it('writes Stars as ⭐ and money with its currency’s decimals, exactly', () => {
    expect(writtenAmount(50, 'XTR')).toBe('50 ⭐');
    expect(writtenAmount(499, 'USD')).toBe('4.99 USD');
    expect(writtenAmount(5, 'EUR')).toBe('0.05 EUR');
    expect(writtenAmount(1000, 'JPY')).toBe('1000 JPY');
    expect(writtenAmount(1234, 'KWD')).toBe('1.234 KWD');
    expect(writtenAmount(123456789012345, 'USD')).toBe('1234567890123.45 USD');
    expect(writtenAmount(-250, 'USD')).toBe('-2.50 USD');
  });
});
