// How updates enter the platform: every source (webhook, polling) hands them to `accept`, which
// stores them durably in the inbox and only then passes new ones to the dispatcher.
import type { Update } from 'grammy/types';
import type { PlatformMetrics } from '../ops/metrics.js';
import type { Dispatcher } from './dispatcher.js';
import type { Inbox } from './inbox.js';

export type UpdateSource = 'webhook' | 'polling';

export interface Intake {
  /** Resolves once the update is stored (or known already); true when it is new. */
  accept(update: Update, source: UpdateSource): Promise<boolean>;
}

export function createIntake(inbox: Inbox, dispatcher: Dispatcher, metrics: PlatformMetrics): Intake {
  return {
    async accept(update, source) {
      const { stored, entry } = await inbox.store(update);
      if (!stored) {
        metrics.updatesDuplicate.inc({ source });
        return false;
      }
      metrics.updatesReceived.inc({ source });
      dispatcher.enqueue(entry);
      return true;
    },
  };
}
