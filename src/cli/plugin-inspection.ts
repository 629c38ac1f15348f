// The plugin host as the CLI uses it: every plugin in the configured folders loaded and described
// (its commands, its verbs, whether the table has it on), none of them run.
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createUsageAnalytics } from '../analytics/report.js';
import type { Config } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { CommandRegistry } from '../core/command-registry.js';
import { EventBus } from '../core/events.js';
import { AuditLog } from '../db/audit-log.js';
import type { DatabaseHandle } from '../db/database.js';
import { pluginBlobs } from '../plugins/blobs/plugin-blobs.js';
import { BUILTIN_PLUGINS_DIR } from '../plugins/builtin-dir.js';
import { PluginHost } from '../plugins/host.js';
import { pluginIntegrations } from '../plugins/integrations.js';
import { jobQueues } from '../plugins/jobs/queue.js';
import { pluginSearch } from '../plugins/search/store.js';
import { secretCipher } from '../plugins/secrets/cipher.js';
import { pluginSecrets } from '../plugins/secrets/store.js';
import { pluginStorage } from '../plugins/storage.js';
import type { PluginStore } from '../plugins/store.js';
import { VERSION } from '../version.js';

export async function inspectPlugins(
  config: Config,
  database: DatabaseHandle,
  store: PluginStore,
): Promise<PluginHost> {
  const cipher = secretCipher(config.DATA_DIR);
  // Plugin problems are reported in the listing; the log would only repeat them on stderr.
  const silent = createLogger({ LOG_LEVEL: 'silent' }, [], pino.destination(2));
  const host = new PluginHost({
    store,
    registry: new CommandRegistry(),
    log: silent,
    platformVersion: VERSION,
    dirs: [BUILTIN_PLUGINS_DIR, config.PLUGINS_DIR],
    alert: async () => {},
    inspectOnly: true,
    events: new EventBus(),
    metrics: new Registry(),
    storageFor: (plugin) => pluginStorage(database.db, plugin),
    searchFor: (plugin) => pluginSearch(database.db, plugin),
    analytics: createUsageAnalytics(database.db, () => []),
    // A plugin's CLI verb may record what it changed (ctx.audit).
    audit: new AuditLog(database.db),
    blobsFor: (plugin) => pluginBlobs(database.db, plugin),
    // A verb may keep a credential it was given (a sign-in) or use the configured services; alerts
    // are the server's: there is no alert manager here, and ctx.alert says so.
    secretsFor: (plugin) => pluginSecrets(database.db, cipher, plugin),
    integrations: pluginIntegrations(config),
    // A verb may queue jobs; the server runs them (no worker here).
    jobsFor: jobQueues({ db: database.db, log: silent }).jobsFor,
  });
  await host.load();
  return host;
}
