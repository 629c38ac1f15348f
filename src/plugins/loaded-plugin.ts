// One plugin as the host holds it: its definition, what its setup declared (commands, hooks,
// schedules, routes, listeners, services, strings), and whether it runs now. The other parts of the
// host (lifecycle, boundary, state sync, …) all work on this record.
import type { Cron } from 'croner';
import { Composer } from 'grammy';
import type { BotContext } from '../core/context.js';
import type { PlatformEventName } from '../core/events.js';
import type { OmniError } from '../errors.js';
import type { Product } from '../payments/products.js';
import { AdminContributions } from './admin-pages.js';
import type { PluginDefinition } from './api.js';
import type { CliVerb } from './api-content.js';
import type { JobKind } from './jobs/kinds.js';
import { RouteTable } from './route-table.js';
import { type Translate, translator } from './strings.js';

export interface PluginCommand {
  command: string;
  description: string;
  adminOnly: boolean;
  sideEffects: boolean;
}

export interface LoadedPlugin {
  readonly definition: PluginDefinition;
  /** The folder it was loaded from: errors whose stack passes through it are its own. */
  readonly dir: string;
  readonly composer: Composer<BotContext>;
  readonly commands: PluginCommand[];
  readonly hooks: { enable: (() => unknown)[]; disable: (() => unknown)[]; config: ((config: unknown) => unknown)[] };
  readonly schedules: { pattern: string; task: () => Promise<void>; job?: Cron }[];
  readonly routes: RouteTable;
  readonly listeners: { event: PlatformEventName; listener: (...args: never[]) => unknown }[];
  /** Its pages, routes and files in the admin panel (admin-pages.ts). */
  readonly admin: AdminContributions;
  /** Its verbs of the `omnicore` command, by name. */
  readonly verbs: Map<string, CliVerb>;
  /** What it provides to the plugins that depend on it, by service name (see services.ts). */
  readonly services: Map<string, object>;
  /** Its kinds of jobs (ctx.jobs.define), by name. */
  readonly jobKinds: Map<string, JobKind>;
  /** Runs its jobs in this process while it is on (the server only). */
  jobWorker?: { wake(): void; stop(): Promise<void> };
  /** Its strings in a language, from the definition's `strings` (see strings.ts). */
  readonly translate: Translate;
  /** What it sells (ctx.payments.products), on sale while it is on. */
  products?: Product[];
  config: unknown;
  active: boolean;
  failures: number[];
  /** Why the last attempt to switch it on failed (a command taken, an invalid configuration). */
  refusal?: OmniError;
  /** The `code_generation` this code was loaded at. */
  generation: number;
  /** Its error bookkeeping, one write at a time (see Boundary.inOrder). */
  writes: Promise<void>;
}

/** A plugin not set up yet: nothing declared, switched off, its schema's defaults as configuration. */
export function newLoadedPlugin(definition: PluginDefinition, dir: string, generation: number): LoadedPlugin {
  const defaults = definition.configSchema?.safeParse({});
  return {
    definition,
    dir,
    composer: new Composer<BotContext>(),
    commands: [],
    hooks: { enable: [], disable: [], config: [] },
    schedules: [],
    routes: new RouteTable(),
    listeners: [],
    admin: new AdminContributions(definition.name, dir),
    verbs: new Map(),
    services: new Map(),
    jobKinds: new Map(),
    translate: translator(definition.strings),
    config: defaults?.success ? defaults.data : {},
    active: false,
    failures: [],
    generation,
    writes: Promise.resolve(),
  };
}
