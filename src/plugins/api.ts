// The public plugin API (`omnicore/plugin`): what a plugin author writes against, and all a plugin
// is given. A plugin sees its own scoped context, never the platform's internals.
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Api, Composer, Context } from 'grammy';
import type { Logger } from 'pino';
import type { Counter, Gauge, Histogram } from 'prom-client';
import type { z } from 'zod';
import type { UsageReport } from '../analytics/report.js';
import type { EntitlementInfo, PaymentInfo, PlatformEventName, PlatformEvents } from '../core/events.js';
import type { ProductInput } from '../payments/products.js';
import type { BulkApi, PluginAudience, PluginRedis } from './api-audience.js';
import type { PluginBlobs, PluginCli, PluginFiles, PluginSearch } from './api-content.js';
import type { PluginExperiments, UserVariants } from './api-experiments.js';
import type { PluginIntegrations, PluginJobs, PluginSecrets } from './api-jobs.js';

export type { Logger } from 'pino';
export type { UsageReport } from '../analytics/report.js';
export type { EntitlementInfo, PaymentInfo, PlatformEventName, PlatformEvents } from '../core/events.js';
/** The platform's errors: a stable `code` from the catalogue (docs/ERRORS.md), a message, a status. */
export { type ErrorCode, OmniError } from '../errors.js';
/** The product shape `ctx.payments.products` takes, as a zod schema: for a plugin whose config holds products. */
export { type ProductInput, productSchema } from '../payments/products.js';
export * from './api-audience.js';
export type * from './api-content.js';
export type * from './api-experiments.js';
export * from './api-jobs.js';
export { type SnippetOptions, snippet } from './search/snippet.js';

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
  /** The mutation engine for this update's sender: which variant they see, and their goal reached. */
  readonly experiments: UserVariants;
}

/** The grammY context a plugin's handlers receive. */
export type PluginBotContext<Key extends string = string> = Context & PluginFlavor<Key>;

export type CommandHandler<Key extends string = string> = (ctx: PluginBotContext<Key>) => unknown;

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
  /** An entitlement key (e.g. `premium`) the sender must hold; others are told what it needs. */
  requires?: string;
}

/** Which ways of paying this installation offers. */
export interface PaymentMethods {
  /** Telegram Stars (currency XTR): always. */
  readonly stars: true;
  /** Invoices in money through Telegram (TELEGRAM_PAYMENT_PROVIDER_TOKEN). */
  readonly telegram: boolean;
  /** Hosted checkout links (Stripe Checkout, a crypto provider's invoice page). */
  readonly checkout: boolean;
  /** The providers that make checkout pages, by id (`stripe`, `cryptopay`, `nowpayments`, `btcpay`). */
  readonly checkoutProviders: readonly string[];
}

/**
 * Selling: the plugin declares its products, then sends invoices or links for them. A payment is
 * credited once to the one ledger, grants the product's entitlement and is announced as
 * `paymentSucceeded`. Errors are OmniErrors (PAYMENT_*, docs/ERRORS.md).
 */
export interface PluginPayments {
  /** What the plugin sells, replacing what it declared before (call it again on a config change).
   *  Invoices are checked against the current list when the user pays: a product gone or repriced
   *  is refused, not charged. */
  products(products: readonly ProductInput[]): void;
  /** Sends an invoice for a product into a chat; in Stars unless `currency` says otherwise. */
  invoice(chatId: number, product: string, options?: { currency?: string }): Promise<void>;
  /** An invoice link (https://t.me/$…) for a product; a Stars product of kind `subscription` with a
   *  30-day grant becomes a Telegram Stars subscription. */
  invoiceLink(product: string, options?: { currency?: string }): Promise<string>;
  /** A hosted checkout page for the user and product, by `provider` (the first of `methods.checkoutProviders`
   *  unless given), in its first currency other than XTR unless `currency` is given. */
  checkoutLink(userId: number, product: string, options?: { currency?: string; provider?: string }): Promise<string>;
  /** Gives back a payment for one of this plugin's products, in full or (where the provider can) in part. */
  refund(paymentId: number, options?: { amount?: number }): Promise<PaymentInfo>;
  /** A user's payments for this plugin's products, newest first. */
  history(userId: number): Promise<PaymentInfo[]>;
  readonly methods: PaymentMethods;
}

/** What users hold because they paid, or an admin granted it. */
export interface PluginEntitlements {
  has(userId: number, key: string): Promise<boolean>;
  /** The user's entitlements in force now, one per key. */
  list(userId: number): Promise<EntitlementInfo[]>;
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
  /** One embedding per text (OPENAI_EMBEDDING_MODEL), in order; throws when the server fails. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Who changed what, for ctx.audit. */
export interface PluginAuditEntry {
  /** Who made the change, e.g. `telegram:42` (the user's id) or `cli`. */
  actor: string;
  target?: string;
  /** Stored as JSON; keep secrets out. */
  details?: unknown;
}

/** The methods a plugin's admin API route may answer. */
export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** zod schemas for what an admin page or route reads; input without a schema is not handed over. */
export interface AdminInputSchemas {
  /** The path's `:param` segments (strings, each percent-decoded once); without a schema, as strings. */
  params?: z.ZodType;
  /** The query string (strings, or arrays of them for repeated keys). */
  query?: z.ZodType;
  /** The JSON or form body (routes only). */
  body?: z.ZodType;
}

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

/** What every admin page loader and route handler is given. */
export interface AdminCall<I extends AdminInputSchemas = AdminInputSchemas> {
  params: Parsed<I['params'], Record<string, string>>;
  query: Parsed<I['query'], undefined>;
  /** The signed-in admin who asked. */
  admin: { username: string };
  /** Writes to the panel's audit log as the signed-in admin, from the request's address; the action
   *  is recorded as `plugin.<name>.<action>` (`action`: a-z, 0-9, `_`, `.`, `-`; up to 40). */
  audit(action: string, entry?: { target?: string; details?: unknown }): Promise<void>;
  /** Ends the request with a client error the plugin means (400, 403, 404 or 409) and this message;
   *  not counted as the plugin's failure. */
  fail(status: 400 | 403 | 404 | 409, message: string): never;
  /** What a route returns to send a file to download instead of JSON (`type`: application/octet-stream unless given). */
  download(fileName: string, body: Buffer | Readable, type?: string): AdminDownload;
}

/** A file an admin route answers with (see AdminCall.download). */
export interface AdminDownload {
  readonly fileName: string;
  readonly body: Buffer | Readable;
  readonly type: string;
}

export interface AdminRouteCall<I extends AdminInputSchemas = AdminInputSchemas> extends AdminCall<I> {
  body: Parsed<I['body'], undefined>;
}

/** Answers an admin API request: the value returned is sent as JSON (`undefined`: `{ "ok": true }`). */
export type AdminRouteHandler<I extends AdminInputSchemas = AdminInputSchemas> = (call: AdminRouteCall<I>) => unknown;

/** A page of the plugin's in the admin panel, at /admin/plugins/<plugin>/<path>. */
export interface AdminPage<I extends Omit<AdminInputSchemas, 'body'> = Omit<AdminInputSchemas, 'body'>> {
  /** Under /admin/plugins/<plugin>/; not empty; find-my-way syntax. Pages with `:params` or a
   *  wildcard are reached by links, the others are listed in the panel's navigation. */
  path: string;
  /** The navigation entry and the page's heading. */
  title: string;
  /** A Font Awesome solid icon, e.g. `fa-lightbulb` (default `fa-puzzle-piece`). */
  icon?: string;
  /** An Eta template file in the plugin's folder (e.g. `views/report.eta`), rendered with HTML
   *  escaping inside the panel's layout. It reads the loader's data as `it.<key>`, and `it.panel`:
   *  `{ api, assets, csrf, admin }` (its routes' base URL, its assets' base URL, the session's CSRF
   *  token for plain forms, the signed-in admin's name). */
  view: string;
  /** Schemas for the page's `:params` and query string; bad input is answered 400. */
  input?: I;
  /** The data the view shows, as an object. */
  data?: (call: AdminCall<I>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Scripts from the plugin's assets folder (see `assets`), loaded after Chart.js, in this order. */
  scripts?: string[];
  /** Style sheets from the plugin's assets folder, after the panel's own. */
  styles?: string[];
}

/** The plugin's part of the admin panel: pages, JSON routes and static files, present while it is on. */
export interface PluginAdmin {
  page<I extends Omit<AdminInputSchemas, 'body'> = Record<never, never>>(page: AdminPage<I>): void;
  /** A JSON route at /api/admin/plugins/<plugin>/<path>, behind the panel's session and (for all but
   *  GET) CSRF checks. The paths `config`, `enable` and `disable` belong to the panel. */
  route(method: AdminMethod, path: string, handler: AdminRouteHandler<Record<never, never>>): void;
  route<I extends AdminInputSchemas>(method: AdminMethod, path: string, input: I, handler: AdminRouteHandler<I>): void;
  /** A folder of the plugin's (e.g. `public`) served to signed-in admins at
   *  /admin/assets/plugins/<plugin>/: scripts, styles, images. Its dotfiles are not served. */
  assets(folder: string): void;
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
  /**
   * Runs `task` on a cron schedule (croner syntax, seconds optional) while the plugin is on: once per
   * deployment, on the instance that leads (`omnicore instances`), however many instances run.
   */
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
  /** Pages, JSON routes and static files in the admin panel while the plugin is on. */
  readonly admin: PluginAdmin;
  /**
   * Writes to the panel's audit log a change made from the bot (or a CLI verb), shown on its audit
   * page with the panel's own entries. Recorded as `plugin.<name>.<action>` (`action`: a-z, 0-9, `_`,
   * `.`, `-`; up to 40, else it throws); `actor` says who, e.g. `telegram:42`.
   */
  audit(action: string, entry: PluginAuditEntry): Promise<void>;
  readonly payments: PluginPayments;
  readonly entitlements: PluginEntitlements;
  /** The Bot API (grammY's `bot.api`), for messages outside an update's handler: scheduled jobs,
   *  event listeners (a payment confirmed by webhook), edits of a message sent earlier. */
  readonly api: Api;
  /**
   * The Bot API without the platform's auto-retry and per-instance throttle, for a sender that paces
   * itself across instances (broadcasts): a 429 reaches the caller as a GrammyError whose
   * `parameters.retry_after` says how long to hold back. Everything else should use `api`.
   */
  readonly bulkApi: BulkApi;
  /** The bot's users by audience segment, as chat ids; blocked users left out and counted. */
  readonly audience: PluginAudience;
  /** The deployment's Redis, present only when REDIS_URL is set. */
  readonly redis?: PluginRedis;
  /** A full-text (and similarity) index of the plugin's records. */
  readonly search: PluginSearch;
  /** Compressed, deduplicated bytes of the plugin's. */
  readonly blobs: PluginBlobs;
  /** Files users sent, downloaded through the Bot API. */
  readonly files: PluginFiles;
  /** Verbs of the `omnicore` command (`omnicore <plugin> <verb>`). */
  readonly cli: PluginCli;
  /** A durable queue of the plugin's jobs, run in the server while the plugin is on. */
  readonly jobs: PluginJobs;
  /** The plugin's secrets, encrypted at rest. */
  readonly secrets: PluginSecrets;
  /** Outside services the operator set up by environment. */
  readonly integrations: PluginIntegrations;
  /** Variants to experiment on, and experiments to propose (the mutation engine). */
  readonly experiments: PluginExperiments;
  /**
   * Raises an alert for the operator: stored for the panel's Alerts page and sent to the bot's admins
   * (ADMIN_TELEGRAM_IDS) once per incident; the same `subject` raised again within the alerts
   * cool-down is folded into the open alert instead of being sent again.
   */
  alert(subject: string, message: string): Promise<void>;
  /** This plugin's string `key` in `language` (see PluginStrings), for messages outside an update's
   *  handler; keep the user's `c.language` from the update that asked. */
  t(language: string, key: Key, params?: StringParams): string;
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
