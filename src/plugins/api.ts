// The public plugin API (`omnicore/plugin`): what a plugin author writes against, and all a plugin
// is given. A plugin sees its own scoped context, never the platform's internals.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Composer, Context } from 'grammy';
import type { Logger } from 'pino';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { z } from 'zod';
import type { UsageReport } from '../analytics/report.js';
import type { PlatformEventName, PlatformEvents } from '../core/events.js';

export type { Logger } from 'pino';
export type { UsageReport } from '../analytics/report.js';
export type { PlatformEventName, PlatformEvents } from '../core/events.js';

/**
 * A string in a plugin's table: text with `{name}` placeholders filled from the params, or plural
 * forms picked by the `count` param with the language's plural rules (`other` when none fits).
 */
export type PluginString = string | PluralForms;
export type PluralForms = { readonly [form in Intl.LDMLPluralRule]?: string } & { readonly other: string };

/**
 * A plugin's strings per language code (`en`, `de`, `es`, `ru`, …). English is the reference: it
 * holds every key, and is what a language without the key falls back to (then the key itself).
 */
export type PluginStrings<Key extends string = string> = {
  readonly en: Readonly<Record<Key, PluginString>>;
} & { readonly [language: string]: Readonly<Partial<Record<NoInfer<Key>, PluginString>>> };

export type StringParams = Readonly<Record<string, string | number>>;

/** What the platform adds to grammY's context for a plugin's handlers. */
export interface PluginFlavor<Key extends string = string> {
  /** The user's language: their /settings choice, else their Telegram language if the bot speaks
   *  it, else the bot's default. */
  readonly language: string;
  /** This plugin's string `key` in the user's language (see PluginStrings), placeholders filled. */
  t(key: Key, params?: StringParams): string;
}

/** The grammY context a plugin's handlers receive. */
export type PluginBotContext<Key extends string = string> = Context & PluginFlavor<Key>;

export type CommandHandler<Key extends string = string> = (ctx: PluginBotContext<Key>) => unknown;

/** Key-value storage of the plugin's own; values are anything JSON can hold. */
export interface PluginStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  keys(prefix?: string): Promise<string[]>;
}

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

/** HTTP routes mounted under /plugins/<name>/; they answer 404 while the plugin is off. */
export interface PluginRoutes {
  get(path: string, handler: RouteHandler): void;
  post(path: string, handler: RouteHandler): void;
}

/** Metrics on the platform's /metrics, named omnicore_plugin_<plugin>_<name>. */
export interface PluginMetrics {
  counter<L extends string = never>(name: string, help: string, labelNames?: L[]): Counter<L>;
  gauge<L extends string = never>(name: string, help: string, labelNames?: L[]): Gauge<L>;
  histogram<L extends string = never>(name: string, help: string, labelNames?: L[]): Histogram<L>;
}

export interface CommandOptions {
  /** Only for the bot's admins (ADMIN_TELEGRAM_IDS). */
  adminOnly?: boolean;
  /** The command changes something (saves, sends, pays, deletes): when the AI conversation wants to
   *  run it for a user, the user is asked to confirm first. Read-only commands run at once. */
  sideEffects?: boolean;
}

/** Read-only usage analytics: the report the admin panel's Analytics page shows. */
export interface PluginAnalytics {
  /** Every analysis over the last 30 UTC days up to `now` (default: the present). */
  report(now?: number): Promise<UsageReport>;
}

/** The configured language model, for short texts. */
export interface PluginAi {
  /** The model's answer to `prompt`; throws when the server fails. */
  complete(prompt: string, options?: { maxTokens?: number }): Promise<string>;
}

export interface PluginContext<Config, Key extends string = string> {
  readonly name: string;
  /** A grammY Composer of the plugin's own; it runs only while the plugin is enabled. */
  readonly composer: Composer<PluginBotContext<Key>>;
  /** A command listed in /help and Telegram's menu while the plugin is enabled. */
  command(name: string, description: string, handler: CommandHandler<Key>, options?: CommandOptions): void;
  /** The plugin's validated configuration; always the current value. */
  readonly config: Config;
  readonly log: Logger;
  readonly storage: PluginStorage;
  /** Runs `task` on a cron schedule (croner syntax, seconds optional) while the plugin is on. */
  schedule(cron: string, task: () => unknown): void;
  readonly routes: PluginRoutes;
  /** Listens to platform events while the plugin is on. */
  on<E extends PlatformEventName>(event: E, listener: (...payload: PlatformEvents[E]) => unknown): void;
  readonly metrics: PluginMetrics;
  readonly analytics: PluginAnalytics;
  /** Whether the sender of this update is one of the bot's admins (ADMIN_TELEGRAM_IDS). */
  isAdmin(ctx: PluginBotContext): boolean;
  /** Present only when a language model is configured (OPENAI_API_KEY). */
  readonly ai?: PluginAi;
  /** Runs when the plugin is switched on (also at start when it is on): acquire resources here. */
  onEnable(hook: () => unknown): void;
  /** Runs when the plugin is switched off or the platform stops: release them here. */
  onDisable(hook: () => unknown): void;
  /** Runs after a new, valid configuration took effect. */
  onConfigChange(hook: (config: Config) => unknown): void;
  /**
   * Offers `implementation` (an object of methods) to the plugins that depend on this one, as the
   * service `<this plugin>/<name>`; only during setup.
   */
  provide<T extends object>(name: string, implementation: T): void;
  /**
   * The service `id` ("<plugin>/<service>") of a plugin listed in `dependsOn`; its type is `T`. The
   * methods always reach the provider's current code, and throw PLUGIN_SERVICE_STOPPED while it is off.
   */
  use<T extends object>(id: string): T;
}

export interface PluginDefinition<Schema extends z.ZodType = z.ZodType, Key extends string = string> {
  /** Lower-case letters, digits and dashes; unique across the installation. */
  name: string;
  /** The plugin's own semver version. */
  version: string;
  description: string;
  /** A semver range of OMNICore versions the plugin works with, e.g. "^0.1.0". */
  platform: string;
  /** Plugins that must be enabled before this one. */
  dependsOn?: string[];
  /** A zod schema for the plugin's configuration; defaults in it apply when nothing is stored. */
  configSchema?: Schema;
  /** Its words per language, for `t` in its handlers. */
  strings?: PluginStrings<Key>;
  /** Declares the plugin: its commands, middleware and hooks. Must not start anything itself. */
  setup(ctx: PluginContext<z.output<Schema>, Key>): void | Promise<void>;
}

/**
 * Identity at run time; it exists so that TypeScript infers the config type from the schema and
 * the keys `t` accepts from `strings.en`.
 */
export function definePlugin<Schema extends z.ZodType, Key extends string = string>(
  definition: PluginDefinition<Schema, Key>,
): PluginDefinition<Schema, Key> {
  return definition;
}
