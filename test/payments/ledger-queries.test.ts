// The ledger as the panel reads it, on both databases: filters, newest-first keyset paging through
// ties, counts and sums per currency, revenue per UTC day net of refunds, and the CSV export with its
// quoting and amounts per currency exponent. Payments are recorded through Payments.record at
// chosen times (only Date is faked), out of order, so that order comes from the data.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import { decimalAmount, formatMoney } from '../../src/payments/currency.js';
import { CSV_COLUMNS, csvLine, LedgerQueries } from '../../src/payments/ledger-queries.js';
import { Payments } from '../../src/payments/payments.js';
import type { PaymentChange } from '../../src/payments/provider.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-11-02 00:00 UTC. */
const D = Date.UTC(2026, 10, 2);

type Paid = Extract<PaymentChange, { kind: 'paid' }>;
interface Seed {
  name: string;
  at: number;
  provider: string;
  change: Omit<Paid, 'kind' | 'providerId'> & { kind?: 'paid' | 'pending'; providerId?: string };
  /** Total refunded afterwards. */
  refunded?: number;
}

// Recorded in this (not chronological) order: ids and times disagree on purpose.
const SEEDS: Seed[] = [
  {
    name: 'p7',
    at: D + 3 * DAY,
    provider: 'stripe',
    change: {
      providerId: '=cmd|calc',
      userId: 4,
      product: 'shop/a "quoted", product',
      amount: 1234,
      currency: 'KWD',
    },
  },
  {
    name: 'p1',
    at: D + HOUR,
    provider: 'stars',
    change: { userId: 1, product: 'shop/premium', amount: 50, currency: 'XTR', grant: { key: 'premium', days: 30 } },
  },
  {
    name: 'p2',
    at: D + DAY - 1,
    provider: 'stripe',
    change: { userId: 1, product: 'shop/premium', amount: 499, currency: 'USD' },
  },
  {
    name: 'p3',
    at: D + DAY,
    provider: 'stripe',
    change: { userId: 2, product: 'shop/gold', amount: 1000, currency: 'USD' },
    refunded: 300,
  },
  {
    name: 'p4',
    at: D + DAY + HOUR,
    provider: 'stars',
    change: { userId: 2, product: 'shop/gold', amount: 100, currency: 'XTR', grant: { key: 'gold' } },
    refunded: 100,
  },
  {
    name: 'p5',
    at: D + 2 * DAY,
    provider: 'stripe',
    change: { userId: 3, product: 'shop/premium', amount: 500, currency: 'JPY' },
  },
  {
    name: 'p6',
    at: D + 2 * DAY,
    provider: 'stripe',
    change: { kind: 'pending', userId: 3, product: 'shop/gold', amount: 700, currency: 'USD' },
  },
  { name: 'p8', at: D + 4 * DAY, provider: 'stars', change: { userId: 5, product: null, amount: 10, currency: 'XTR' } },
  { name: 'p9', at: D + 4 * DAY, provider: 'stars', change: { userId: 5, product: null, amount: 20, currency: 'XTR' } },
];
const NEWEST_FIRST = ['p9', 'p8', 'p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1'];

describe('amounts in minor units', () => {
  it('reads them per currency exponent, without floating point', () => {
    expect(decimalAmount(499, 'USD')).toBe('4.99');
    expect(decimalAmount(5, 'EUR')).toBe('0.05');
    expect(decimalAmount(0, 'USD')).toBe('0.00');
    expect(decimalAmount(50, 'XTR')).toBe('50');
    expect(decimalAmount(500, 'JPY')).toBe('500');
    expect(decimalAmount(1234, 'KWD')).toBe('1.234');
    expect(decimalAmount(-1050, 'USD')).toBe('-10.50');
    expect(decimalAmount(9_007_199_254_740_991, 'USD')).toBe('90071992547409.91');
    expect(formatMoney(250, 'GBP')).toBe('2.50 GBP');
  });

  it('writes CSV fields as RFC 4180 says, and keeps spreadsheets from running them', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', null, 42])).toBe(
      'plain,"a,b","say ""hi""","two\nlines",,42\r\n',
    );
    expect(csvLine(['=1+1', '+1', '-1', '@SUM(A1)', 'x=1'])).toBe("'=1+1,'+1,'-1,'@SUM(A1),x=1\r\n");
  });
});

describe.each(DATABASE_KINDS)('ledger queries on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  let queries: LedgerQueries;
  const ids = new Map<string, number>();
  const named = (list: { id: number }[]) =>
    list.map((payment) => [...ids].find(([, id]) => id === payment.id)?.[0] ?? payment.id);

  beforeAll(async () => {
    const payments = new Payments({
      db: migrated.handle.db,
      events: new EventBus(),
      telegram: {} as TelegramPaymentsApi,
    });
    queries = new LedgerQueries(migrated.handle.db);
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const seed of SEEDS) {
      vi.setSystemTime(seed.at);
      const providerId = seed.change.providerId ?? `${seed.name}-charge`;
      const { kind: changeKind = 'paid', ...change } = seed.change;
      const applied = await payments.record({
        provider: seed.provider,
        eventId: `${seed.name}-event`,
        type: changeKind === 'paid' ? 'successful_payment' : 'checkout.created',
        raw: { seed: seed.name },
        change:
          changeKind === 'paid'
            ? { ...change, kind: 'paid', providerId }
            : {
                kind: 'pending',
                providerId,
                userId: change.userId as number,
                product: change.product ?? null,
                amount: change.amount,
                currency: change.currency,
              },
      });
      ids.set(seed.name, applied.payment?.id as number);
    }
    // Refunds come days later; they count against the day of the payment they give back.
    vi.setSystemTime(D + 5 * DAY);
    for (const seed of SEEDS.filter((entry) => entry.refunded)) {
      await payments.record({
        provider: seed.provider,
        eventId: `${seed.name}-refund`,
        type: 'refund',
        raw: {},
        change: {
          kind: 'refunded',
          providerId: seed.change.providerId ?? `${seed.name}-charge`,
          refundedAmount: seed.refunded as number,
        },
      });
    }
    vi.useRealTimers();
  });

  afterAll(() => {
    vi.useRealTimers();
  });

  it('lists newest first by when, not by id, with counts and sums per currency', async () => {
    const page = await queries.list({}, { limit: 50 });
    expect(named(page.payments)).toEqual(NEWEST_FIRST);
    expect(page.total).toBe(9);
    expect(page.nextBefore).toBeNull();
    expect(page.totals).toEqual([
      { currency: 'JPY', count: 1, gross: 500, refunded: 0, net: 500 },
      { currency: 'KWD', count: 1, gross: 1234, refunded: 0, net: 1234 },
      // The pending 7.00 USD is counted but took no money.
      { currency: 'USD', count: 3, gross: 1499, refunded: 300, net: 1199 },
      { currency: 'XTR', count: 4, gross: 180, refunded: 100, net: 80 },
    ]);
    expect(page.payments[0]).toMatchObject({ provider: 'stars', userId: 5, amount: 20, currency: 'XTR' });
  });

  it('filters by provider, status, user, product and date range, and counts what matches', async () => {
    const list = async (filter: Parameters<LedgerQueries['list']>[0]) => {
      const page = await queries.list(filter, { limit: 50 });
      expect(page.total).toBe(page.payments.length);
      return named(page.payments);
    };
    expect(await list({ provider: 'stars' })).toEqual(['p9', 'p8', 'p4', 'p1']);
    expect(await list({ status: 'refunded' })).toEqual(['p4']);
    expect(await list({ status: 'partially_refunded' })).toEqual(['p3']);
    expect(await list({ status: 'pending' })).toEqual(['p6']);
    expect(await list({ userId: 2 })).toEqual(['p4', 'p3']);
    expect(await list({ product: 'shop/gold' })).toEqual(['p6', 'p4', 'p3']);
    // From inclusive, to exclusive: the last millisecond of the 2nd is not the 3rd.
    expect(await list({ from: D + DAY, to: D + 2 * DAY })).toEqual(['p4', 'p3']);
    expect(await list({ provider: 'stripe', from: D, to: D + DAY })).toEqual(['p2']);
    expect(await list({ provider: 'nobody' })).toEqual([]);
    const stars = await queries.list({ provider: 'stars' }, { limit: 50 });
    expect(stars.totals).toEqual([{ currency: 'XTR', count: 4, gross: 180, refunded: 100, net: 80 }]);
  });

  it('pages back by the last payment shown, through payments made at the same moment', async () => {
    for (const limit of [1, 2, 3, 4]) {
      const seen: (string | number)[] = [];
      let before: number | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await queries.list({}, { limit, ...(before === undefined ? {} : { before }) });
        expect(page.total).toBe(9);
        seen.push(...named(page.payments));
        if (page.nextBefore === null) break;
        before = page.nextBefore;
      }
      expect(seen).toEqual(NEWEST_FIRST);
    }
    const filtered = await queries.list({ provider: 'stars' }, { limit: 2, before: ids.get('p8') as number });
    expect(named(filtered.payments)).toEqual(['p4', 'p1']);
    expect(filtered.nextBefore).toBeNull();
    expect((await queries.list({}, { limit: 5, before: 999_999 })).payments).toEqual([]);
  });

  it('sums revenue per UTC day by provider and currency, net of refunds, every day present', async () => {
    const revenue = await queries.revenue({ from: D, to: D + 3 * DAY });
    expect(revenue.days).toEqual(['2026-11-02', '2026-11-03', '2026-11-04']);
    expect(revenue.series).toEqual([
      { provider: 'stripe', currency: 'JPY', amounts: [0, 0, 500] },
      // 4.99 in the last millisecond of the 2nd; 10.00 at midnight, 3.00 of it refunded on the 7th.
      { provider: 'stripe', currency: 'USD', amounts: [499, 700, 0] },
      // The 100 Stars of the 3rd were refunded in full.
      { provider: 'stars', currency: 'XTR', amounts: [50, 0, 0] },
    ]);
    const stars = await queries.revenue({ provider: 'stars', from: D + 2 * HOUR, to: D + 5 * DAY - 1 });
    expect(stars.days).toEqual(['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06']);
    expect(stars.series).toEqual([{ provider: 'stars', currency: 'XTR', amounts: [50, 0, 0, 0, 30] }]);
  });

  it('exports the filtered ledger as CSV: integers in minor units and decimals per currency', async () => {
    const read = async (filter: Parameters<LedgerQueries['csv']>[0], batch?: number) => {
      let text = '';
      for await (const line of queries.csv(filter, batch)) text += line;
      return text;
    };
    const all = await read({});
    const lines = all.split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('');
    expect(lines[3]).toBe(
      `${ids.get('p7')},2026-11-05T00:00:00.000Z,stripe,'=cmd|calc,,4,"shop/a ""quoted"", product",paid,KWD,1234,0,1.234,0.000`,
    );
    expect(lines).toContain(
      `${ids.get('p3')},2026-11-03T00:00:00.000Z,stripe,p3-charge,,2,shop/gold,partially_refunded,USD,1000,300,10.00,3.00`,
    );
    expect(lines).toContain(
      `${ids.get('p5')},2026-11-04T00:00:00.000Z,stripe,p5-charge,,3,shop/premium,paid,JPY,500,0,500,0`,
    );
    expect(lines).toContain(
      `${ids.get('p4')},2026-11-03T01:00:00.000Z,stars,p4-charge,,2,shop/gold,refunded,XTR,100,100,100,100`,
    );
    // Read in batches smaller than the ledger, it is the same file.
    expect(await read({}, 2)).toBe(all);
    expect(await read({}, 3)).toBe(all);
    const stars = (await read({ provider: 'stars', userId: 5 }, 1)).split('\r\n');
    expect(stars.slice(1, -1).map((line) => line.split(',')[0])).toEqual([
      String(ids.get('p9')),
      String(ids.get('p8')),
    ]);
  });

  it("lists what a payment granted, and shows a full refund's revocation", async () => {
    const granted = await queries.entitlementsOf(ids.get('p1') as number);
    expect(granted).toEqual([
      expect.objectContaining({
        userId: 1,
        key: 'premium',
        startsAt: D + HOUR,
        endsAt: D + HOUR + 30 * DAY,
        revokedAt: null,
      }),
    ]);
    expect(await queries.entitlementsOf(ids.get('p4') as number)).toEqual([
      expect.objectContaining({ key: 'gold', endsAt: null, revokedAt: D + 5 * DAY, grantedBy: 'payment' }),
    ]);
    expect(await queries.entitlementsOf(ids.get('p2') as number)).toEqual([]);
    expect(await queries.providers()).toEqual(['stars', 'stripe']);
  });
});
