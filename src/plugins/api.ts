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
/** The platform's errors: a stable `code` from the catalogue (docs/ERRORS.md), a message, a status. */
export { type ErrorCode, OmniError } from '../errors.js';

/** The grammY context a plugin's handlers receive. */
export type PluginBotContext = Context;

export type CommandHandler = (ctx: PluginBotContext) => unknown;

/** Key-value storage of the plugin's own; values are anything JSON can hold. */
export interface PluginStorage {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  /**
   * Replaces the value under `key` with `fn(current)` (`undefined` when there is none) and returns
   * the new value as stored. Atomic across chats and processes: when another write lands between
   * the read and the write, `fn` runs again on the newer value, so it may run more than once and
   * must have no side effects. It must be synchronous: on a retry it may run while the row is held
   * and every other writer of the key waits; fetch what it needs first. When `fn` throws, nothing
   * is written. Throws an OmniError `PLUGIN_STORAGE_CONFLICT` when every attempt lost.
   */
  update<T = unknown>(key: string, fn: (current: T | undefined) => T, options?: StorageUpdateOptions): Promise<T>;
  delete(key: string): Promise<boolean>;
  keys(prefix?: string): Promise<string[]>;
}

export interface StorageUpdateOptions {
  /** Read-call-write rounds before giving up when other writers keep getting there first: 1–100, default 10. */
  maxAttempts?: number;
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

export interface PluginContext<Config> {
  readonly name: string;
  /** A grammY Composer of the plugin's own; it runs only while the plugin is enabled. */
  readonly composer: Composer<PluginBotContext>;
  /** A command listed in /help and Telegram's menu while the plugin is enabled. */
  command(name: string, description: string, handler: CommandHandler, options?: CommandOptions): void;
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
}

export interface PluginDefinition<Schema extends z.ZodType = z.ZodType> {
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
  /** Declares the plugin: its commands, middleware and hooks. Must not start anything itself. */
  setup(ctx: PluginContext<z.output<Schema>>): void | Promise<void>;
}

/** Identity at run time; it exists so that TypeScript infers the config type from the schema. */
export function definePlugin<Schema extends z.ZodType>(definition: PluginDefinition<Schema>): PluginDefinition<Schema> {
  return definition;
}
