// Reconciliation: each provider's recent events replayed into the ledger, so that a webhook that
// never arrived is applied late rather than never. One provider failing does not stop the others.
// The server runs it every hour for the providers whose events come by webhook (Stripe); Stars
// arrive as Telegram updates, which Telegram redelivers into the durable inbox, so the server leaves
// them to `omnicore payments reconcile`.
import type { Logger } from '../config/logger.js';
import { type IsLeader, whenLeading } from '../lib/leading.js';
import { type Repetition, repeat } from '../lib/repeat.js';
import type { Payments, ReconcileReport } from './payments.js';

export type ProviderReconciliation = ReconcileReport | { provider: string; error: string };

/** The configured providers that can list their recent events. */
export function reconcilable(payments: Payments): string[] {
  return payments
    .listProviders()
    .map((summary) => summary.id)
    .filter((id) => payments.provider(id)?.recent !== undefined);
}

/** Reconciles each of `providers` since `since` (epoch ms), one at a time. */
export async function reconcileEach(
  payments: Payments,
  providers: readonly string[],
  since: number,
): Promise<ProviderReconciliation[]> {
  const results: ProviderReconciliation[] = [];
  for (const provider of providers) {
    try {
      results.push(...(await payments.reconcile(since, [provider])));
    } catch (error) {
      results.push({ provider, error: (error as Error).message });
    }
  }
  return results;
}

const HOUR_MS = 3_600_000;

export interface ReconciliationSchedule {
  /** Time before the first run: soon after start, once the server is up. */
  firstAfterMs: number;
  every: number;
  /** How far back the first run looks: past an outage as long as Stripe retries a webhook (3 days). */
  firstLookbackMs: number;
  /** How far back later runs look: the time since the last run, with a margin. */
  lookbackMs: number;
}

export const RECONCILIATION_SCHEDULE: ReconciliationSchedule = {
  firstAfterMs: 60_000,
  every: HOUR_MS,
  firstLookbackMs: 72 * HOUR_MS,
  lookbackMs: 3 * HOUR_MS,
};

/** Hourly reconciliation of the webhook providers; undefined when none is configured. */
export function scheduleReconciliation(
  payments: Payments,
  log: Logger,
  schedule: ReconciliationSchedule = RECONCILIATION_SCHEDULE,
  isLeader?: IsLeader,
): Repetition | undefined {
  const providers = reconcilable(payments).filter((id) => id !== 'stars');
  if (providers.length === 0) return undefined;
  let lookback = schedule.firstLookbackMs;
  return repeat(
    whenLeading(isLeader, async () => {
      const results = await reconcileEach(payments, providers, Date.now() - lookback);
      // After a failed run the next one looks as far back as the first.
      lookback = results.some((result) => 'error' in result) ? schedule.firstLookbackMs : schedule.lookbackMs;
      for (const result of results) {
        if ('error' in result)
          log.warn({ provider: result.provider, err: result.error }, 'payment reconciliation failed');
        else if (result.repaired > 0) log.warn(result, 'payment reconciliation applied events the webhook had missed');
        else log.debug(result, 'payment reconciliation found nothing missing');
      }
    }),
    {
      every: schedule.every,
      firstAfterMs: schedule.firstAfterMs,
      onError: (error) => log.warn({ err: error }, 'payment reconciliation failed'),
    },
  );
}
