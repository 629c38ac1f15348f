// `omnicore payments reconcile [--since <hours>] [--json]`: each provider's events of the last hours
// (24 unless told) replayed into the ledger of the server's database, printing per provider what it
// saw and what it applied that a webhook had missed. Stars are included when BOT_TOKEN is set. A
// repaired payment and its entitlement are in force at once, but a running server's plugins are not
// told of it: the paymentSucceeded event belongs to the process that records the payment.
import { parseArgs } from 'node:util';
import { Api } from 'grammy';
import { telegramPaymentsApi } from '../bot/telegram-payments-api.js';
import { loadConfig } from '../config/env.js';
import { EventBus } from '../core/events.js';
import { migrateToLatest } from '../db/migrate.js';
import { Payments } from '../payments/payments.js';
import { paymentProviders } from '../payments/providers/registry.js';
import { type ProviderReconciliation, reconcilable, reconcileEach } from '../payments/reconciliation.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

const DEFAULT_HOURS = 24;

export async function runPayments(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { since: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [action, ...extra] = positionals;
  if (action !== 'reconcile') throw new UsageError(action ? `unknown action "${action}"` : 'no action');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const hours = values.since === undefined ? DEFAULT_HOURS : Number(values.since);
  if (!Number.isFinite(hours) || hours <= 0) throw new UsageError('--since takes a number of hours above 0');
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    await migrateToLatest(database);
    const payments = new Payments({
      db: database.db,
      events: new EventBus(),
      telegram: telegramPaymentsApi(new Api(config.BOT_TOKEN ?? '', { apiRoot: config.TELEGRAM_API_ROOT })),
      providers: paymentProviders(config, { botUsername: () => undefined }),
    });
    // Stars are listed by the Bot API, which only a real bot can ask.
    const providers = reconcilable(payments).filter((id) => id !== 'stars' || config.BOT_TOKEN);
    if (providers.length === 0) {
      throw new Error('no payment provider to reconcile: set STRIPE_SECRET_KEY (or BOT_TOKEN, for Stars)');
    }
    const results = await reconcileEach(payments, providers, Date.now() - hours * 3_600_000);
    if (values.json) console.log(JSON.stringify(results, null, 2));
    for (const result of results) {
      if ('error' in result) console.error(`omnicore: ${result.provider}: ${result.error}`);
      else if (!values.json) console.log(line(result));
    }
    return results.some((result) => 'error' in result) ? 1 : 0;
  } finally {
    await database.close();
  }
}

function line(result: Exclude<ProviderReconciliation, { error: string }>): string {
  const events = result.seen === 1 ? 'event' : 'events';
  return `${result.provider}: ${result.seen} ${events} seen, ${result.repaired} repaired`;
}
