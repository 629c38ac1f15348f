// Table types for Kysely. Times are epoch milliseconds, JSON is stored as text and booleans as 0/1,
// so that one set of queries serves SQLite and PostgreSQL alike. Over 400 lines on purpose: one
// interface per table, all in one file, so that the Database type and its tables read in one place.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface BotConfigTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface PluginsTable {
  name: string;
  version: string;
  enabled: number;
  config: string;
  installed_at: number;
  updated_at: number;
  error_count: Generated<number>;
  last_error: string | null;
  /** Raised to ask running servers to re-import the plugin's code. */
  code_generation: Generated<number>;
}

export interface UpdateHistoryTable {
  id: Generated<number>;
  from_version: string;
  to_version: string;
  status: string;
  started_at: number;
  finished_at: number | null;
  log: string | null;
  /** The commits moved between (update_history rows before 2026-11-30 have none). */
  from_commit: string | null;
  to_commit: string | null;
  /** One line: what happened, or why it was rolled back. */
  result: string | null;
  /** The backup taken before the update, restored when it is rolled back after migrating. */
  backup_id: string | null;
}

export interface SystemMetricsTable {
  id: Generated<number>;
  name: string;
  value: number;
  resolution: string;
  at: number;
  /** The instance that took a raw sample; '' on a rollup, which combines them all. */
  instance: ColumnType<string, string | undefined, string>;
}

export interface UserStateTable {
  user_id: number;
  language: string | null;
  context: string;
  version: number;
  updated_at: number;
}

export interface UsersTable {
  id: number;
  username: string | null;
  first_name: string;
  last_name: string | null;
  language_code: string | null;
  is_bot: number;
  first_seen: number;
  last_seen: number;
  message_count: number;
  /** When Telegram last said this user blocked the bot; null once they wrote again (or never). */
  blocked_bot_at: number | null;
}

/** `dropped`: refused at arrival or taken out of the queue (a ban, a limit, a full chat backlog). */
export type InboxStatus = 'pending' | 'done' | 'failed' | 'dropped';

export interface TelegramUpdatesTable {
  update_id: number;
  chat_key: string;
  payload: string;
  status: InboxStatus;
  attempts: number;
  last_error: string | null;
  received_at: number;
  handled_at: number | null;
}

/** A running (or stopped) OMNICore process on this database; `seen_at` is its heartbeat. */
export interface InstancesTable {
  id: string;
  host: string;
  pid: number;
  version: string;
  /** Where its own HTTP server answers (for `omnicore instances` and the panel). */
  url: string | null;
  started_at: number;
  seen_at: number;
  stopped_at: number | null;
}

/** Which instance handles a chat's updates until `until` (ms since the epoch) unless it renews. */
export interface ChatLeasesTable {
  chat_key: string;
  owner: string;
  until: number;
}

export interface TelegramCallsTable {
  update_id: number;
  seq: number;
  method: string;
  result: string;
  at: number;
}

export interface UsageEventsTable {
  id: Generated<number>;
  at: number;
  user_id: number | null;
  chat_id: number | null;
  kind: string;
  command: string | null;
  plugin: string | null;
  latency_ms: number;
  outcome: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  details: string | null;
  ip: string | null;
}

export interface PluginStorageTable {
  plugin: string;
  key: string;
  value: string;
  /** Raised by every write; storage.update() compares and sets it. */
  version: number;
  updated_at: number;
}

/** A record of a plugin's search index (ctx.search); its text is in the index only. */
export interface PluginSearchRecordsTable {
  /** The row's number: the FTS5 rowid on SQLite. */
  id: Generated<number>;
  plugin: string;
  /** The plugin's id for the record. */
  record_id: string;
  title: string;
  /** ISO 639-1 code, or `simple`. */
  language: string;
  kind: string | null;
  owner: number | null;
  created_at: number;
  updated_at: number;
  /** JSON. */
  data: string;
  /** Float32 values, little-endian. */
  vector: Buffer | null;
}

/** The tags (`kind` = `tag`) and access labels (`access`) of a search record. */
export interface PluginSearchLabelsTable {
  record: number;
  kind: 'tag' | 'access';
  label: string;
}

/** PostgreSQL only: a search record's text as a weighted tsvector (title A, text B), under a GIN index. */
export interface PluginSearchDocumentsTable {
  record: number;
  plugin: string;
  /** tsvector, written and read in SQL only. */
  document: string;
}

/** The languages a plugin's search records use. */
export interface PluginSearchLanguagesTable {
  plugin: string;
  language: string;
}

/** A plugin's secret (ctx.secrets), sealed with AES-256-GCM; see src/plugins/secrets/cipher.ts. */
export interface PluginSecretsTable {
  plugin: string;
  name: string;
  /** `v1.<key id>.<iv>.<tag>.<ciphertext>`, base64url: never the value itself. */
  sealed: string;
  updated_at: number;
}

/** A plugin's blob (ctx.blobs): content by its SHA-256, compressed with `codec`. */
export interface PluginBlobsTable {
  plugin: string;
  /** SHA-256 of the uncompressed bytes, in hex. */
  hash: string;
  /** Bytes once decompressed: what reading it may produce, and no more. */
  size: number;
  stored_size: number;
  codec: 'br' | 'gzip' | 'none';
  /** Puts holding the blob; the release that takes it to 0 deletes the row. */
  refs: number;
  bytes: Buffer;
  created_at: number;
}

export interface PluginJobsTable {
  /** Random, 12 characters. */
  id: string;
  plugin: string;
  kind: string;
  key: string | null;
  /** JSON. */
  payload: string;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  /** Attempts started; counted when a worker claims the job. */
  attempts: number;
  max_attempts: number;
  run_at: number;
  /** While running: when the claim lapses and another worker may take the job (its process died). */
  locked_until: number | null;
  created_at: number;
  updated_at: number;
  last_error: string | null;
  /** JSON, or null. */
  result: string | null;
  /** JSON, or null: what the handler saved for later attempts. */
  state: string | null;
}

export interface AdminUsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  created_at: number;
  last_sign_in_at: number | null;
}

export interface AdminSessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface AdminSignInAttemptsTable {
  /** 'ip' or 'user': lockout counts attempts per client address and per account name. */
  scope: string;
  key: string;
  /** Attempts counted in the window that ends at expires_at. */
  points: number;
  expires_at: number;
}

export interface HealthChecksTable {
  id: Generated<number>;
  name: string;
  ok: number;
  latency_ms: number;
  error: string | null;
  at: number;
  /** The instance that ran the check ('' for rows from before instances were recorded). */
  instance: ColumnType<string, string | undefined, string>;
}

/** `plugin`: raised by a plugin (ctx.alert), its subject `plugin:<name>:<subject>`. */
export type AlertKind = 'anomaly' | 'limit' | 'trend' | 'health' | 'plugin' | 'experiment';

export interface AlertsTable {
  id: Generated<number>;
  /** What makes two alerts the same incident: kind, subject and detector. */
  key: string;
  kind: AlertKind;
  /** The metric, health check or plugin's subject concerned. */
  subject: string;
  detector: string | null;
  message: string;
  value: number | null;
  score: number | null;
  first_at: number;
  last_at: number;
  /** Detections folded into this alert during its cool-down. */
  occurrences: Generated<number>;
  /** 1 once sent to the admins in Telegram. */
  notified: Generated<number>;
}

/** LLM tokens used by one user on one UTC day (YYYY-MM-DD). */
export interface AiUsageTable {
  user_id: number;
  day: string;
  prompt_tokens: number;
  completion_tokens: number;
  requests: number;
  updated_at: number;
}

export interface BansTable {
  user_id: number;
  /** Null: permanent. */
  until: number | null;
  reason: string;
  /** Step on the automatic ban ladder (0 for an admin's ban). */
  level: number;
  /** Who imposed it: 'auto', 'telegram:<id>' or an admin panel user. */
  by: string;
  created_at: number;
}

export interface SecurityEventsTable {
  id: Generated<number>;
  at: number;
  type: string;
  user_id: number | null;
  ip: string | null;
  /** JSON object. */
  detail: string;
}

/**
 * pending (→ confirming) → paid → refunded / partially_refunded; or failed, expired. Money that came
 * short (underpaid) or after the invoice expired (late) is recorded as such and grants nothing.
 */
export type PaymentStatus =
  | 'pending'
  | 'confirming'
  | 'paid'
  | 'refunded'
  | 'partially_refunded'
  | 'failed'
  | 'expired'
  | 'underpaid'
  | 'late';

export interface PaymentsTable {
  id: Generated<number>;
  /** `stars`, `telegram` (an invoice paid through a provider token), `stripe`, a crypto provider. */
  provider: string;
  /** The provider's unique id of the charge (Telegram's charge id, a Checkout Session, an invoice). */
  provider_id: string;
  /** The provider's second id for it, if it has one (Stripe's payment intent, Telegram's provider charge id). */
  reference: string | null;
  user_id: number;
  /** `<plugin>/<product>`; null for a charge no product of ours explains. */
  product: string | null;
  /** In the currency's minor units (cents; one Star is 1). */
  amount: number;
  currency: string;
  refunded_amount: Generated<number>;
  status: PaymentStatus;
  /** The provider's subscription this charge belongs to, if any. */
  subscription_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface PaymentEventsTable {
  id: Generated<number>;
  provider: string;
  /** Unique per provider: an event delivered twice is recorded (and acted on) once. */
  event_id: string;
  type: string;
  payment_id: number | null;
  /** The event as the provider sent it, for audit. */
  payload: string;
  /** JSON: how the buyer paid, where the provider said (PaymentDetails). */
  details: string | null;
  at: number;
}

export interface EntitlementsTable {
  id: Generated<number>;
  user_id: number;
  key: string;
  /** The payment that granted it; null when an admin granted it by hand. */
  payment_id: number | null;
  starts_at: number;
  /** Null: forever. */
  ends_at: number | null;
  revoked_at: number | null;
  /** `payment`, or `admin:<username>`. */
  granted_by: string;
  created_at: number;
}

/** Every status an experiment can be in (scripts filter on them: `omnicore experiments list --status`). */
export const EXPERIMENT_STATUSES = [
  'proposed',
  'running',
  'paused',
  'promoted',
  'reverted',
  'stopped',
  'expired',
  'rejected',
] as const;

export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export interface ExperimentsTable {
  id: Generated<number>;
  /** A setting key, or `plugin:<name>/<variant>`. */
  target: string;
  /** JSON: the arms' values, control (the value before the experiment) first. */
  arms: string;
  /** The share of users that take part, split evenly between the arms. */
  share: number;
  /** The primary metric's name (ops/experiments/metrics.ts). */
  metric: string;
  /** JSON: guard metric name → how much higher than control's its rate may be. */
  guards: string;
  alpha: number;
  tau: number;
  min_users: number;
  max_duration_ms: number;
  status: ExperimentStatus;
  /** `admin:<name>`, `plugin:<name>`, `observer`, `cli`. */
  proposed_by: string;
  reason: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  /** The arm's value that won, once promoted (JSON). */
  winner: string | null;
  /** JSON: the decision that ended it (kind, arm, metric, interval, who). */
  outcome: string | null;
}

export interface ExperimentUsersTable {
  experiment_id: number;
  user_id: number;
  /** The arm's index in `experiments.arms`. */
  arm: number;
  exposed_at: number;
  /** The primary metric's success. */
  converted: Generated<number>;
  /** A failure that undoes `converted` for the `answered` metric (a "not sure", a /help). */
  missed: Generated<number>;
  errors: Generated<number>;
  slow: Generated<number>;
  blocked: Generated<number>;
}

export interface ExperimentVariantsTable {
  /** `plugin:<name>/<variant>`. */
  key: string;
  /** JSON: the arms, the default first. */
  arms: string;
  description: string;
  declared_at: number;
}

export interface Database {
  bot_config: BotConfigTable;
  plugins: PluginsTable;
  update_history: UpdateHistoryTable;
  system_metrics: SystemMetricsTable;
  user_state: UserStateTable;
  users: UsersTable;
  telegram_updates: TelegramUpdatesTable;
  telegram_calls: TelegramCallsTable;
  instances: InstancesTable;
  chat_leases: ChatLeasesTable;
  usage_events: UsageEventsTable;
  audit_log: AuditLogTable;
  plugin_storage: PluginStorageTable;
  plugin_search_records: PluginSearchRecordsTable;
  plugin_search_labels: PluginSearchLabelsTable;
  plugin_search_languages: PluginSearchLanguagesTable;
  plugin_search_documents: PluginSearchDocumentsTable;
  plugin_blobs: PluginBlobsTable;
  plugin_secrets: PluginSecretsTable;
  plugin_jobs: PluginJobsTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  admin_sign_in_attempts: AdminSignInAttemptsTable;
  health_checks: HealthChecksTable;
  alerts: AlertsTable;
  ai_usage: AiUsageTable;
  bans: BansTable;
  security_events: SecurityEventsTable;
  payments: PaymentsTable;
  payment_events: PaymentEventsTable;
  entitlements: EntitlementsTable;
  experiments: ExperimentsTable;
  experiment_users: ExperimentUsersTable;
  experiment_variants: ExperimentVariantsTable;
}

export type InboxRow = Selectable<TelegramUpdatesTable>;
export type NewUsageEvent = Insertable<UsageEventsTable>;
export type UserRow = Selectable<UsersTable>;
