// The payments section of `npm run bench`: how fast OMNICore answers a burst of pre_checkout_query
// updates (Telegram cancels a payment it has no answer for within 10 s), and how many payments per
// second the ledger records on SQLite and PostgreSQL (each one transaction: the provider event,
// the charge, its entitlement and the audit rows).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EventBus } from '../src/core/events.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { Payments } from '../src/payments/payments.js';
import type { ProviderEvent } from '../src/payments/provider.js';
import type { TelegramPaymentsApi } from '../src/payments/telegram.js';
import { createTestDatabase } from '../test/support/databases.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { freePort } from '../test/support/processes.js';
import { enablePlugins } from './bench-plugins.js';
import { launch } from './child.js';
import { CONTESTANTS } from './contestants.js';
import { WEBHOOK_PATH, WEBHOOK_SECRET } from './settings.js';
import { percentile } from './stats.js';

export const PAYMENTS_SECTION = 'payments';

/** Pre-checkout queries sent at once; one in ten at a price that is no longer the product's. */
const QUERIES = 1000;
const STALE_EVERY = 10;
const PRICE = 50;
const ANSWER_WAIT_MS = 60_000;
/** Payments recorded per ledger run, and how many at a time in the concurrent run. */
const LEDGER_PAYMENTS = Number(process.env.BENCH_LEDGER_PAYMENTS) || 2000;
const LEDGER_CONCURRENCY = 32;

export interface PaymentsFigures {
  /** Payments recorded at a time in the ledger's concurrent run. */
  concurrency: number;
  preCheckout: {
    queries: number;
    answered: number;
    /** Answers that said what they should: yes at the current price, no at a stale one. */
    right: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  };
  ledger: { database: string; oneAtATime: number; concurrent: number }[];
}

export async function runPaymentsBench(log: (line: string) => void): Promise<PaymentsFigures> {
  const preCheckout = await preCheckoutBurst();
  log(`  pre-checkout burst: ${preCheckout.answered} of ${preCheckout.queries} answered`);
  const ledger = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const figures = await ledgerWrites(kind);
    ledger.push(figures);
    log(`  ledger on ${figures.database}: done`);
  }
  return { concurrency: LEDGER_CONCURRENCY, preCheckout, ledger };
}

/** A plugin selling one product, as an operator's would, so that pre-checkout has a catalogue to check. */
function writeSeller(dataDir: string): void {
  const dir = path.join(dataDir, 'plugins', 'seller');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'index.mjs'),
    `export default { name: 'seller', version: '1.0.0', description: 'Bench seller', platform: '*',
      setup(ctx) {
        ctx.payments.products([{ id: 'premium', title: 'Premium', description: 'Premium for 30 days',
          prices: { XTR: ${PRICE} }, grants: { key: 'premium', days: 30 } }]);
      } };`,
  );
  enablePlugins(dataDir, ['seller']);
}

function preCheckoutUpdate(index: number): { id: string; stale: boolean; body: string } {
  const stale = index % STALE_EVERY === 0;
  const amount = stale ? PRICE - 10 : PRICE;
  const id = `bench-query-${index}`;
  const userId = 700_000 + index;
  const update = {
    update_id: 900_000 + index,
    pre_checkout_query: {
      id,
      from: { id: userId, is_bot: false, first_name: `Buyer${index}`, language_code: 'en' },
      currency: 'XTR',
      total_amount: amount,
      invoice_payload: `o1|seller|premium|XTR|${amount}|premium|30`,
    },
  };
  return { id, stale, body: JSON.stringify(update) };
}

async function preCheckoutBurst(): Promise<PaymentsFigures['preCheckout']> {
  const contestant = CONTESTANTS.find((candidate) => candidate.id === 'omnicore-sqlite');
  if (!contestant) throw new Error('no OMNICore contestant');
  const fake = await new FakeBotApi().start();
  const answers = new Map<string, { at: number; ok: boolean }>();
  fake.onCall = (call) => {
    if (call.method !== 'answerPreCheckoutQuery') return;
    answers.set(String(call.params.pre_checkout_query_id), { at: performance.now(), ok: call.params.ok === true });
  };
  const { spec, dispose } = await contestant.prepare(fake.url);
  try {
    const launched = spec(await freePort());
    writeSeller(launched.env.DATA_DIR as string);
    const running = await launch(launched);
    try {
      const queries = Array.from({ length: QUERIES }, (_, index) => preCheckoutUpdate(index));
      const sentAt = new Map<string, number>();
      await Promise.all(
        queries.map(async (query) => {
          sentAt.set(query.id, performance.now());
          const response = await fetch(`${running.baseUrl}${WEBHOOK_PATH}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
            body: query.body,
          });
          await response.arrayBuffer();
        }),
      );
      // Those not answered in time count as unanswered below.
      await fake.waitFor(() => answers.size >= QUERIES, ANSWER_WAIT_MS).catch(() => {});
      const latencies = Float64Array.from(
        queries.flatMap((query) => {
          const answer = answers.get(query.id);
          return answer ? [answer.at - (sentAt.get(query.id) as number)] : [];
        }),
      ).sort();
      const right = queries.filter((query) => answers.get(query.id)?.ok === !query.stale).length;
      return {
        queries: QUERIES,
        answered: latencies.length,
        right,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: latencies.at(-1) ?? Number.NaN,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await dispose();
    await fake.stop();
  }
}

let charge = 0;
function paidEvent(): ProviderEvent {
  const id = `bench-charge-${++charge}`;
  return {
    provider: 'stars',
    eventId: id,
    type: 'successful_payment',
    raw: { telegram_payment_charge_id: id, total_amount: PRICE },
    change: {
      kind: 'paid',
      providerId: id,
      userId: 800_000 + (charge % 5000),
      product: 'seller/premium',
      amount: PRICE,
      currency: 'XTR',
      grant: { key: 'premium', days: 30 },
    },
  };
}

async function ledgerWrites(kind: 'sqlite' | 'postgres'): Promise<PaymentsFigures['ledger'][number]> {
  const database = await createTestDatabase(kind);
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
  try {
    await migrateToLatest(handle);
    // The ledger alone: nothing here refunds or reconciles, which is all Telegram would be asked.
    const payments = new Payments({ db: handle.db, events: new EventBus(), telegram: {} as TelegramPaymentsApi });
    let started = performance.now();
    for (let index = 0; index < LEDGER_PAYMENTS; index++) await payments.record(paidEvent());
    const oneAtATime = LEDGER_PAYMENTS / ((performance.now() - started) / 1000);
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: LEDGER_CONCURRENCY }, async () => {
        while (next++ < LEDGER_PAYMENTS) await payments.record(paidEvent());
      }),
    );
    const concurrent = LEDGER_PAYMENTS / ((performance.now() - started) / 1000);
    return { database: kind === 'sqlite' ? 'SQLite' : 'PostgreSQL', oneAtATime, concurrent };
  } finally {
    await handle.close();
    await database.dispose();
  }
}
