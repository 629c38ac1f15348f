// The shape of one core command: its registry entry and its handler, plus any inline-button
// callbacks it answers. The core composer wires them; each command lives in a file of its own.
import type { UsageAnalytics } from '../../analytics/report.js';
import type { CommandInfo, CommandRegistry } from '../../core/command-registry.js';
import type { BotContext } from '../../core/context.js';
import type { UserStateStore } from '../../core/user-state.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { Payments } from '../../payments/payments.js';
import type { ActivityRecorder } from '../activity.js';
import type { ConflictTally } from '../intake.js';

export interface PlatformStatus {
  version: string;
  mode: string;
  database: string;
  startedAt: number;
  backlog: () => Promise<number>;
  /** Update ids seen again with other content since start (see bot/intake.ts). */
  conflicts: () => ConflictTally;
}

/** What the core's /plugins command may do with plugins; the plugin host provides it. */
export interface PluginControl {
  list(): { name: string; version: string; active: boolean; lastError: string | null; refused?: { code: string } }[];
  setEnabled(name: string, enabled: boolean): Promise<void>;
}

/** What /ban and /unban may do, and what pre-checkout asks; the security layer's ban store provides it. */
export interface BanControl {
  ban(userId: number, request: { until: number | null; reason: string; by: string }): Promise<unknown>;
  unban(userId: number, by: string): Promise<boolean>;
  isBanned(userId: number): boolean;
}

/** What /update may do; the running server's update desk (ops/maintenance) provides it. */
export interface UpdateControl {
  check(): Promise<{
    current: { version: string; commit: string };
    available: { version: string; commit: string; ref: string };
    upToDate: boolean;
    changelog: string[];
  }>;
  /** Starts the detached updater, audited as `by`; UPDATE_IN_PROGRESS while one runs. */
  start(by: { actor: string }): Promise<unknown>;
}

export interface CoreDeps {
  readonly registry: CommandRegistry;
  readonly userState: UserStateStore;
  readonly activity: ActivityRecorder;
  readonly settings: SettingsStore;
  readonly status: PlatformStatus;
  readonly plugins: PluginControl;
  readonly bans: BanControl;
  readonly analytics: UsageAnalytics;
  /** The ledger and the providers: /refund, and payment updates before any plugin. */
  readonly payments: Payments;
  readonly updates: UpdateControl;
}

export interface CoreCommand {
  readonly info: Omit<CommandInfo, 'source'>;
  handle(ctx: BotContext, deps: CoreDeps): Promise<unknown>;
  readonly callback?: {
    readonly pattern: RegExp;
    handle(ctx: BotContext, match: RegExpMatchArray, deps: CoreDeps): Promise<unknown>;
  };
}
