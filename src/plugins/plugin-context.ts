// What `setup(ctx)` receives: the plugin's own scoped handles (commands, composer, config, storage,
// schedules, routes, events, metrics, services, hooks), each recording into its LoadedPlugin. Nothing
// here runs yet: the lifecycle switches on what was declared, and off again.
import { Cron } from 'croner';
import type { Api } from 'grammy';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../config/logger.js';
import type { BotContext } from '../core/context.js';
import type { ExperimentsDesk } from '../core/experiments.js';
import type { AuditLog } from '../db/audit-log.js';
import { OmniError } from '../errors.js';
import type { Payments } from '../payments/payments.js';
import { auditAction } from './admin-pages.js';
import type { PluginAi, PluginAnalytics, PluginContext, PluginStorage, RouteHandler } from './api.js';
import type { BulkApi, PluginAudience } from './api-audience.js';
import type { PluginBlobs, PluginFiles, PluginSearch } from './api-content.js';
import type { PluginIntegrations, PluginJobs, PluginSecrets } from './api-jobs.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import { pluginEntitlements, pluginPayments } from './plugin-payments.js';
import { provider, serviceHandle } from './services.js';

export interface ContextDeps {
  log: Logger;
  metrics: Registry;
  storageFor: (plugin: string) => PluginStorage;
  analytics: PluginAnalytics;
  ai?: PluginAi;
  /** Runs one of the plugin's functions inside its error boundary. */
  guard: (plugin: LoadedPlugin, fn: () => unknown) => Promise<void>;
  /** A loaded plugin by name: where services are looked up. */
  find: (name: string) => LoadedPlugin | undefined;
  /** The ledger, products and providers; absent where nothing is sold (the CLI's listing). */
  payments?: Payments;
  /** The bot's Bot API; absent where no bot runs (the CLI's listing). */
  api?: Api;
  /** The plugin's search index and blobs; absent where plugins are only listed. */
  searchFor?: (plugin: string) => PluginSearch;
  blobsFor?: (plugin: string) => PluginBlobs;
  /** Downloads of users' files; absent where no bot runs. */
  files?: PluginFiles;
  /** The panel's audit log (ctx.audit); absent where plugins are only listed. */
  audit?: AuditLog;
  /** The plugin's job queue and secrets; absent where plugins are only listed. */
  jobsFor?: (plugin: LoadedPlugin, settingUp: () => boolean) => PluginJobs;
  secretsFor?: (plugin: string) => PluginSecrets;
  /** Outside services configured by environment; absent where plugins are only listed. */
  integrations?: PluginIntegrations;
  /** The Bot API without auto-retry and throttle (ctx.bulkApi); absent where no bot runs. */
  bulkApi?: BulkApi;
  /** Users by audience segment (ctx.audience); absent where plugins are only listed. */
  audience?: PluginAudience;
  /** The deployment's Redis: its URL and key prefix (ctx.redis gets `<prefix>plugin:<name>`); absent without REDIS_URL. */
  redis?: { url: string; keyPrefix: string };
  /** The mutation engine (ctx.experiments); absent where plugins are only listed. */
  experiments?: ExperimentsDesk;
  /** Raises an operator alert (ctx.alert); absent where no alerts are sent. */
  alert?: (plugin: string, subject: string, message: string) => Promise<void>;
}

/** A handle the process may lack: using it where it is absent says which. */
function present<T>(handle: T | undefined, missing: string): T {
  if (handle === undefined) throw new OmniError('OMNI_UNAVAILABLE', `${missing} in this process`);
  return handle;
}

export function pluginContext(
  plugin: LoadedPlugin,
  deps: ContextDeps,
  settingUp: () => boolean,
): PluginContext<unknown> {
  const name = plugin.definition.name;
  const guarded =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A): Promise<void> =>
      deps.guard(plugin, () => fn(...args));
  const metricName = (metric: string): string => `omnicore_plugin_${name.replace(/-/g, '_')}_${metric}`;
  const registers = [deps.metrics];
  // A reload runs setup again: the metric it registered the first time is handed back.
  const existing = <M>(metric: string, kind: abstract new (...args: never[]) => M): M | undefined => {
    const found = deps.metrics.getSingleMetric(metricName(metric));
    return found instanceof kind ? found : undefined;
  };
  const entitlements = pluginEntitlements(deps.payments);
  const addRoute = (method: 'GET' | 'POST') => (path: string, handler: RouteHandler) =>
    plugin.routes.add(method, path, handler);
  return {
    name,
    composer: plugin.composer as unknown as PluginContext<unknown>['composer'],
    command: (command, description, handler, options) => {
      const adminOnly = options?.adminOnly ?? false;
      const requires = options?.requires;
      plugin.commands.push({ command, description, adminOnly, sideEffects: options?.sideEffects ?? false });
      plugin.composer.command(command, async (ctx) => {
        if (adminOnly && !ctx.core.isAdmin) return ctx.reply(ctx.core.t.adminOnly);
        if (requires && !(ctx.from && (await entitlements.has(ctx.from.id, requires)))) {
          return ctx.reply(ctx.core.t.payments.needs(requires));
        }
        return handler(ctx as never);
      });
    },
    get config() {
      return plugin.config;
    },
    log: deps.log.child({ plugin: name }),
    storage: deps.storageFor(name),
    schedule: (pattern, task) => {
      // Checked now, so that a bad pattern fails the setup; the job itself exists only while the plugin is on.
      new Cron(pattern, { paused: true }).stop();
      plugin.schedules.push({ pattern, task: guarded(task) });
    },
    routes: { get: addRoute('GET'), post: addRoute('POST') },
    on: (event, listener) => {
      plugin.listeners.push({ event, listener: guarded(listener as (...args: unknown[]) => unknown) });
    },
    metrics: {
      counter: (metric, help, labelNames = []) =>
        existing(metric, Counter) ?? new Counter({ name: metricName(metric), help, labelNames, registers }),
      gauge: (metric, help, labelNames = []) =>
        existing(metric, Gauge) ?? new Gauge({ name: metricName(metric), help, labelNames, registers }),
      histogram: (metric, help, labelNames = []) =>
        existing(metric, Histogram) ?? new Histogram({ name: metricName(metric), help, labelNames, registers }),
    },
    analytics: deps.analytics,
    isAdmin: (ctx) => (ctx as unknown as BotContext).core?.isAdmin === true,
    admin: plugin.admin.api(),
    audit: async (action, { actor, target, details }) => {
      const recorded = auditAction(name, action);
      if (typeof actor !== 'string' || actor === '') throw new Error(`audit(${action}): an entry needs its actor`);
      await present(deps.audit, 'no audit log').record({ actor, action: recorded, target, details });
    },
    payments: pluginPayments(plugin, deps.payments),
    get api(): Api {
      return present(deps.api, 'no bot runs');
    },
    get bulkApi(): BulkApi {
      return present(deps.bulkApi, 'no bot runs');
    },
    get audience(): PluginAudience {
      return present(deps.audience, 'no audience');
    },
    ...(deps.redis ? { redis: { url: deps.redis.url, prefix: `${deps.redis.keyPrefix}plugin:${name}` } } : {}),
    get search(): PluginSearch {
      return present(deps.searchFor, 'no search index').call(undefined, name);
    },
    get blobs(): PluginBlobs {
      return present(deps.blobsFor, 'no blob store').call(undefined, name);
    },
    get files(): PluginFiles {
      return present(deps.files, 'no bot runs');
    },
    cli: {
      verb: (verb, definition) => {
        if (!settingUp()) throw new Error(`cli.verb(${verb}): verbs are declared during setup()`);
        if (!/^[a-z][a-z0-9-]{0,31}$/.test(verb)) {
          throw new Error(`cli.verb(${verb}): a verb is lower-case letters, digits and dashes`);
        }
        plugin.verbs.set(verb, definition);
      },
    },
    get jobs(): PluginJobs {
      return present(deps.jobsFor, 'no job queue').call(undefined, plugin, settingUp);
    },
    get secrets(): PluginSecrets {
      return present(deps.secretsFor, 'no secret store').call(undefined, name);
    },
    get integrations(): PluginIntegrations {
      return present(deps.integrations, 'no integrations');
    },
    experiments: {
      // Setup runs where no engine does (the CLI's listing, its verbs): declaring is then nothing to do.
      declare: (variant, arms, description) => deps.experiments?.declareVariant(name, variant, arms, description),
      propose: async (proposal) => {
        const own = `plugin:${name}/`;
        if (proposal.target.startsWith('plugin:') && !proposal.target.startsWith(own))
          throw new OmniError(
            'EXPERIMENT_NOT_MUTABLE',
            `${name} may propose on its own variants (${own}…) and on mutable settings`,
          );
        return present(deps.experiments, 'no mutation engine').propose(proposal, `plugin:${name}`);
      },
    },
    alert: (subject, message) => present(deps.alert, 'no alerts').call(undefined, name, subject, message),
    entitlements,
    t: (language, key, params) => plugin.translate(language, key, params),
    ...(deps.ai ? { ai: deps.ai } : {}),
    onEnable: (hook) => plugin.hooks.enable.push(hook),
    onDisable: (hook) => plugin.hooks.disable.push(hook),
    onConfigChange: (hook) => plugin.hooks.config.push(hook as (config: unknown) => unknown),
    provide: provider(plugin, settingUp),
    use: <T extends object>(id: string) => serviceHandle(plugin, id, deps.find) as T,
  };
}
