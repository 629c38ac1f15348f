// Turns detections into alerts an operator can live with: the same problem (same key) seen again
// within `alerts.cooldownMinutes` of its last sighting is folded into the open alert instead of
// sent again, so one incident is one message however long it lasts. New alerts go to the admins
// in Telegram and every alert is stored for the admin panel.
import type { Kysely } from 'kysely';
import type { Logger } from '../../config/logger.js';
import type { AlertKind, Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { type AlertRow, AlertStore } from './alert-store.js';

export interface AlertCandidate {
  kind: AlertKind;
  /** The metric or health check concerned. */
  subject: string;
  /** What makes two alerts one incident; `kind:subject` unless given. */
  incident?: string;
  detector?: string;
  message: string;
  value?: number;
  score?: number;
}

export type AlertOutcome = 'sent' | 'stored' | 'folded';

export interface AlertManagerOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  log: Logger;
  /** Sends a text to every admin (ADMIN_TELEGRAM_IDS); absent when there are none. */
  notify?: (text: string) => Promise<void>;
  now?: () => number;
}

export class AlertManager {
  private readonly store: AlertStore;
  private readonly now: () => number;
  // One at a time, so two detections of one problem cannot both find no open alert.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AlertManagerOptions) {
    this.store = new AlertStore(options.db);
    this.now = options.now ?? Date.now;
  }

  raise(candidate: AlertCandidate): Promise<AlertOutcome> {
    const next = this.queue.then(() => this.raiseNow(candidate));
    this.queue = next.catch(() => {});
    return next;
  }

  /** Resolves once every alert raised so far is stored (and sent). */
  async idle(): Promise<void> {
    await this.queue;
  }

  recent(limit = 50): Promise<AlertRow[]> {
    return this.store.recent(limit);
  }

  private async raiseNow(candidate: AlertCandidate): Promise<AlertOutcome> {
    const at = this.now();
    const key = candidate.incident ?? `${candidate.kind}:${candidate.subject}`;
    const value = candidate.value ?? null;
    const score = candidate.score ?? null;
    const open = await this.store.latest(key);
    const coolDownMs = this.options.settings.get('alerts.cooldownMinutes') * 60_000;
    if (open && at - Number(open.last_at) < coolDownMs) {
      await this.store.fold(Number(open.id), at, value, score);
      return 'folded';
    }
    const id = await this.store.insert({
      key,
      kind: candidate.kind,
      subject: candidate.subject,
      detector: candidate.detector ?? null,
      message: candidate.message,
      value,
      score,
      at,
    });
    this.options.log.warn({ alert: key, detector: candidate.detector }, candidate.message);
    if (!this.options.notify) return 'stored';
    try {
      await this.options.notify(`⚠️ OMNICore alert\n${candidate.message}`);
      await this.store.markNotified(id);
      return 'sent';
    } catch (error) {
      this.options.log.error({ err: error, alert: key }, 'could not send the alert to the admins');
      return 'stored';
    }
  }
}
