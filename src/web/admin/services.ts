// Everything the admin panel reads and changes, handed in by main.ts: the panel owns no state.
import type { Kysely } from 'kysely';
import { AdminAccounts } from '../../admin/accounts.js';
import { SessionStore } from '../../admin/sessions.js';
import { SignInGuard } from '../../admin/sign-in-guard.js';
import { TelegramUsers } from '../../admin/telegram-users.js';
import type { UsageAnalytics } from '../../analytics/report.js';
import type { PlatformStatus } from '../../bot/commands/core-command.js';
import type { TelegramEmulator } from '../../bot/emulator/emulator.js';
import { AuditLog } from '../../db/audit-log.js';
import type { InstanceSummary } from '../../db/instance-listing.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { AlertManager } from '../../ops/alerts/alert-manager.js';
import type { Experiments } from '../../ops/experiments/engine.js';
import type { HealthMonitor } from '../../ops/health/health-monitor.js';
import type { BackupDesk } from '../../ops/maintenance/backup-desk.js';
import type { UpdateDesk } from '../../ops/maintenance/update-desk.js';
import type { Observer } from '../../ops/observer/observer.js';
import type { Security } from '../../ops/security/security.js';
import { LedgerQueries } from '../../payments/ledger-queries.js';
import type { Payments } from '../../payments/payments.js';
import type { PluginHost } from '../../plugins/host.js';
import type { ReadinessChecks } from '../routes/health.js';
import type { SignInFailure } from './login-routes.js';

export interface AdminServices {
  accounts: AdminAccounts;
  sessions: SessionStore;
  guard: SignInGuard;
  audit: AuditLog;
  users: TelegramUsers;
  plugins: PluginHost;
  settings: SettingsStore;
  status: PlatformStatus;
  readiness: ReadinessChecks;
  /** The backups in DATA_DIR: listed, made, verified and pruned by the running server. */
  backups: BackupDesk;
  /** Self-update: the check, the history, and the detached updater started and followed. */
  updates: UpdateDesk;
  /** Present in emulator mode: the test chat talks to the bot through it. */
  emulator: TelegramEmulator | undefined;
  /** Live and stored system metrics: the dashboard's charts. */
  observer: Observer;
  health: HealthMonitor;
  alerts: AlertManager;
  /** Bans (the Users pages) and security events (the Security page, failed sign-ins). */
  security: Pick<Security, 'bans' | 'events'>;
  analytics: UsageAnalytics;
  /** The ledger, entitlements and refunds (the Payments page, a user's entitlements). */
  payments: Payments;
  /** The ledger filtered, paged, summed per day and exported (the Payments page). */
  ledgerQueries: LedgerQueries;
  /** Whether an LLM answers conversations (OPENAI_API_KEY set): the AI settings matter only then. */
  llmMode: boolean;
  /** The mutation engine: experiments listed, reported, proposed and moved on by hand (the Experiments pages). */
  experiments: Experiments;
  /** The instances on this database, with the leader and their chat leases (the System page). */
  instances: () => Promise<InstanceSummary[]>;
  onSignInFailure?: (failure: SignInFailure) => unknown;
}

/** The panel's services over one database, with what the rest of the platform lends it. */
export function createAdminServices(
  parts: { db: Kysely<Database> } & Pick<
    AdminServices,
    | 'plugins'
    | 'settings'
    | 'status'
    | 'readiness'
    | 'emulator'
    | 'observer'
    | 'health'
    | 'alerts'
    | 'security'
    | 'analytics'
    | 'payments'
    | 'llmMode'
    | 'backups'
    | 'updates'
    | 'instances'
    | 'experiments'
  >,
): AdminServices {
  const { db, security } = parts;
  return {
    ...parts,
    onSignInFailure: ({ ip, username, reason }) =>
      security.events.record({ type: 'signin_failure', ip, detail: { username, reason } }),
    accounts: new AdminAccounts(db),
    sessions: new SessionStore(db),
    guard: new SignInGuard(db),
    audit: new AuditLog(db),
    users: new TelegramUsers(db),
    ledgerQueries: new LedgerQueries(db),
  };
}
