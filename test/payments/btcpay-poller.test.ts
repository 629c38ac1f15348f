// BTCPay without webhooks, on both databases: the platform's own status poller (every 100 ms here)
// reads each open invoice and takes it to paid, with the payment's asset, rate and transaction in the
// recorded event; short, expired and late invoices end as they would by webhook, granting nothing.
import { describe, expect, it } from 'vitest';
import { btcpayEvents, btcpayInvoice, statusOf, useBtcpayPlatform } from '../support/btcpay-platform.js';
import { DATABASE_KINDS } from '../support/databases.js';

describe.each(DATABASE_KINDS)('BTCPay status poller on %s', (kind) => {
  const fixture = useBtcpayPlatform(kind, { statusPolling: { every: 100, maxEvery: 1000, withinMs: 86_400_000 } });

  it('takes a settled invoice to paid with no webhook, keeping the payment details', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 1001);
    btcpay.pay(invoiceId);
    await expect.poll(() => statusOf(platform, invoiceId), { timeout: 5000 }).toBe('confirming');
    btcpay.settle(invoiceId);
    await expect.poll(() => statusOf(platform, invoiceId), { timeout: 5000 }).toBe('paid');
    expect(await platform.payments.has(1001, 'premium')).toBe(true);

    const payment = await platform.payments.ledger.find('btcpay', invoiceId);
    const events = await platform.payments.ledger.events(payment?.id as number);
    expect(events.map((event) => event.eventId)).toEqual([
      `checkout:${invoiceId}`,
      `${invoiceId}:confirming`,
      `${invoiceId}:paid`,
    ]);
    const paid = events[2]?.payload as { paymentMethods: Record<string, unknown>[] } | undefined;
    const [method] = paid?.paymentMethods ?? [];
    expect(method).toMatchObject({
      paymentMethodId: 'BTC-CHAIN',
      currency: 'BTC',
      rate: '60000.00',
      payments: [expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{64}-0$/), status: 'Settled' })],
    });
  });

  it('ends short, unpaid and late invoices without granting anything', async () => {
    const { platform, btcpay } = fixture;
    const short = await btcpayInvoice(platform, 1002);
    const unpaid = await btcpayInvoice(platform, 1002);
    const late = await btcpayInvoice(platform, 1002);
    btcpay.pay(short, 50);
    for (const invoiceId of [short, unpaid, late]) btcpay.expire(invoiceId);
    btcpay.pay(late);

    await expect
      .poll(async () => Promise.all([short, unpaid, late].map((id) => statusOf(platform, id))), { timeout: 5000 })
      .toEqual(['underpaid', 'expired', 'late']);
    expect(await btcpayEvents(platform, late)).toEqual([`${late}:expired`, `${late}:paid`]);
    expect(await platform.payments.has(1002, 'premium')).toBe(false);
  });
});
