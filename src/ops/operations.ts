// The operations layer as one part of the platform: health checks, the system observer, alerts with
// the anomaly watch over them, and retention. Built before the web app, which shows them; started
// once the bot is on its way, each part registering how it stops.
import type { Kysely } from 'kysely';
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { PlatformMetrics } from '../core/metrics.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../db/settings-store.js';
import type { IsLeader } from '../lib/leading.js';
import type { Teardown } from '../lib/teardown.js';
import { AlertManager } from './alerts/alert-manager.js';
import { AnomalyWatch } from './alerts/anomaly-watch.js';
import type { HealthDependencies } from './health/health-check.js';
import { HealthMonitor } from './health/health-monitor.js';
import { configuredChecks } from './health/registry.js';
import { Observer } from './observer/observer.js';
import { type RetentionParts, startRetention } from './retention.js';

export interface OperationsParts extends Pick<RetentionParts, 'inbox' | 'securityEvents'> {
  config: Config;
  db: Kysely<Database>;
  settings: SettingsStore;
  metrics: PlatformMetrics;
  log: Logger;
  checks: HealthDependencies;
  backlog: () => Promise<number>;
  /** Sends an alert to the bot's admins; absent when there are none. */
  notify: ((text: string) => Promise<void>) | undefined;
  /** Retention and the observer's rollups run on the leader only; health checks and sampling everywhere. */
  isLeader: IsLeader;
  /** This instance: its samples and health results are stored as its own. */
  instanceId: string;
}

export interface Operations {
  readonly health: HealthMonitor;
  readonly observer: Observer;
  readonly alerts: AlertManager;
  start(teardown: Teardown): void;
}

export function createOperations(parts: OperationsParts): Operations {
  const { config, db, settings, metrics, log } = parts;
  const health = new HealthMonitor({
    db,
    settings,
    log,
    checks: configuredChecks(config, parts.checks),
    instance: parts.instanceId,
  });
  const observer = new Observer({
    db,
    metrics,
    settings,
    backlog: parts.backlog,
    dataDir: config.DATA_DIR,
    log,
    isLeader: parts.isLeader,
    instance: parts.instanceId,
  });
  const alerts = new AlertManager({ db, settings, log, ...(parts.notify ? { notify: parts.notify } : {}) });
  return {
    health,
    observer,
    alerts,
    start(teardown) {
      teardown.add(
        'retention',
        startRetention({
          db,
          inbox: parts.inbox,
          securityEvents: parts.securityEvents,
          settings,
          log,
          isLeader: parts.isLeader,
        }),
      );
      const watch = new AnomalyWatch({ observer, health, alerts, settings, log });
      watch.start();
      teardown.add('anomaly watch', () => watch.stop());
      observer.start();
      teardown.add('observer', () => observer.stop());
      health.start();
      teardown.add('health checks', () => health.stop());
    },
  };
}
