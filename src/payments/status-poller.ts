// The status poller: every half minute, each provider that can report the state of its open
// payments (the crypto providers) is asked, so that a lost webhook costs a little time, and a server
// with no public URL (emulator, polling mode) still learns that an invoice was paid. A provider that
// fails is asked again after twice the wait, up to ten minutes, and at the usual pace once it answers.
import type { Logger } from '../config/logger.js';
import { type IsLeader, whenLeading } from '../lib/leading.js';
import { type Repetition, repeat } from '../lib/repeat.js';
import type { Payments } from './payments.js';

export interface PollingSchedule {
  every: number;
  /** The longest wait after failures in a row. */
  maxEvery: number;
  /** How old a payment may be and still be asked about: invoices expire well before. */
  withinMs: number;
}

export const POLLING_SCHEDULE: PollingSchedule = { every: 30_000, maxEvery: 600_000, withinMs: 7 * 86_400_000 };

/** One repetition per provider that polls; an empty list when none does. */
export function scheduleStatusPolling(
  payments: Payments,
  log: Logger,
  schedule: PollingSchedule = POLLING_SCHEDULE,
  isLeader?: IsLeader,
): Repetition[] {
  return payments
    .listProviders()
    .filter((summary) => payments.provider(summary.id)?.poll !== undefined)
    .map(({ id }) => {
      let wait = schedule.every;
      return repeat(
        whenLeading(isLeader, async () => {
          try {
            const changed = await payments.poll(id, schedule.withinMs);
            if (changed > 0) log.info({ provider: id, changed }, 'payment status poller recorded changes');
            wait = schedule.every;
          } catch (error) {
            wait = Math.min(schedule.maxEvery, wait * 2);
            log.warn({ provider: id, err: error, nextInMs: wait }, 'payment status poller failed');
          }
        }),
        { every: () => wait, firstAfterMs: schedule.every, onError: () => {} },
      );
    });
}
