// The status poller backs off while a provider does not answer (twice the wait each time, up to its
// ceiling) and goes back to its pace once it answers, then takes the payment the outage hid to paid.
import { describe, expect, it } from 'vitest';
import { cryptoPayInvoice, useCryptoPayPlatform } from '../support/cryptopay-platform.js';

const DAY_MS = 86_400_000;

describe('the payment status poller', () => {
  const fixture = useCryptoPayPlatform('sqlite', { statusPolling: { every: 100, maxEvery: 800, withinMs: DAY_MS } });

  it('waits longer after each failure, up to its ceiling, and resumes once the provider answers', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 721);
    cryptopay.outage = 'error';
    const waits = (): number[] =>
      platform.logs
        .map((line) => JSON.parse(line) as { msg: string; provider?: string; nextInMs?: number })
        .filter((line) => line.msg === 'payment status poller failed' && line.provider === 'cryptopay')
        .map((line) => line.nextInMs as number);
    await expect.poll(() => waits().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    expect(waits().slice(0, 4)).toEqual([200, 400, 800, 800]);

    cryptopay.outage = undefined;
    cryptopay.pay(invoiceId);
    await expect.poll(() => platform.payments.has(721, 'premium'), { timeout: 5000 }).toBe(true);
  });
});
