// How updates enter the platform: every source (webhook, polling) hands them to `accept`, which
// stores them durably in the inbox, has each new one judged at arrival (limits, floods, bans) and
// only then passes it to the dispatcher. A refused update never queues: it is marked dropped with
// the reason, so the outgoing throttle, which paces handling, can never hide a flood.
import type { Update } from 'grammy/types';
import type { PlatformMetrics } from '../ops/metrics.js';
import type { Dispatcher } from './dispatcher.js';
import type { Inbox } from './inbox.js';

export type UpdateSource = 'webhook' | 'polling';

export type AdmissionVerdict = { admitted: true } | { admitted: false; reason: string };

/** Judges an update as it arrives; never rejects (an error in judging admits). */
export type Admit = (update: Update) => Promise<AdmissionVerdict>;

export interface Intake {
  /** Resolves once the update is stored (or known already); true when it is new. */
  accept(update: Update, source: UpdateSource): Promise<boolean>;
}

export function createIntake(inbox: Inbox, dispatcher: Dispatcher, admit: Admit, metrics: PlatformMetrics): Intake {
  return {
    async accept(update, source) {
      const { stored, entry } = await inbox.store(update);
      // A re-delivery was judged when it first came: judging it again would count it twice.
      if (!stored) {
        metrics.updatesDuplicate.inc({ source });
        return false;
      }
      metrics.updatesReceived.inc({ source });
      const verdict = await admit(update);
      if (verdict.admitted) {
        dispatcher.enqueue(entry);
      } else {
        metrics.updatesDropped.inc({ reason: verdict.reason });
        await inbox.markDropped(entry.updateId, verdict.reason);
      }
      return true;
    },
  };
}
