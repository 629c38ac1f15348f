// How updates enter the platform: every source (webhook, polling) hands them to `accept`, which
// stores them durably in the inbox, has each new one judged at arrival (limits, floods, bans) and
// only then passes it to the dispatcher. A refused update never queues: it is marked dropped with
// the reason, so the outgoing throttle, which paces handling, can never hide a flood. An update_id
// seen before with other content (see inbox.ts) is said in the log and counted
// (omnicore_updates_conflicting_total, and on the panel's System page), never dropped in silence.
// A source is answered only once there is room to handle what it brings (`room`): a stored update is
// safe, yet acknowledging faster than handlers keep up only moves the queue from Telegram to here,
// where every update in it waits longer than the one before.
import type { Update } from 'grammy/types';
import type { Logger } from '../config/logger.js';
import type { Admit } from '../core/admission.js';
import type { PlatformMetrics } from '../core/metrics.js';
import { OmniError } from '../errors.js';
import type { Inbox, InboxEntry } from './inbox.js';

export type UpdateSource = 'webhook' | 'polling';

/** Update ids seen again with other content since start: what the panel shows. */
export interface ConflictTally {
  total: number;
  last: { updateId: number; at: number; handled: boolean } | null;
}

/** What an update source (webhook, poller) needs: a place to hand updates to. */
export interface UpdateSink {
  /** Resolves once the update is stored (or known already); true when it is new. */
  accept(update: Update, source: UpdateSource): Promise<boolean>;
}

export interface Intake extends UpdateSink {
  conflicts(): ConflictTally;
}

/**
 * Where an admitted update goes: the dispatcher, or on PostgreSQL the chat leases in front of it,
 * whose promise resolves once the update is queued (its chat claimed) or left to another instance.
 */
export interface UpdateQueue {
  enqueue(entry: InboxEntry): Promise<void> | void;
}

export function createIntake(
  inbox: Inbox,
  dispatcher: UpdateQueue,
  room: () => Promise<boolean>,
  admit: Admit,
  metrics: PlatformMetrics,
  log: Logger,
): Intake {
  const tally: ConflictTally = { total: 0, last: null };
  return {
    conflicts: () => ({ ...tally }),
    async accept(update, source) {
      const { stored, conflicting, entry } = await inbox.store(update);
      if (conflicting) {
        metrics.updatesConflicting.inc({ source });
        tally.total += 1;
        tally.last = { updateId: update.update_id, at: Date.now(), handled: stored };
        log.warn(
          { updateId: update.update_id, source, handled: stored },
          stored
            ? 'update_id seen before with other content: the Bot API numbers afresh; handled as a new update'
            : 'update_id seen before with other content while that update is still pending: refused until it is done',
        );
        // Refusing makes Telegram (or the poller) deliver it again, by when the stored one is done.
        if (!stored) throw new OmniError('OMNI_UPDATE_DEFERRED', `update ${update.update_id}`);
      }
      // A re-delivery was judged when it first came: judging it again would count it twice.
      if (!stored) {
        metrics.updatesDuplicate.inc({ source });
        return false;
      }
      metrics.updatesReceived.inc({ source });
      const verdict = await admit(update);
      if (verdict.admitted) {
        await dispatcher.enqueue(entry);
        if (await room()) metrics.updatesHeld.inc({ source });
      } else {
        metrics.updatesDropped.inc({ reason: verdict.reason });
        await inbox.markDropped(entry.updateId, verdict.reason);
      }
      return true;
    },
  };
}
