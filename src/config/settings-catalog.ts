// The dynamic settings an operator can change while the bot runs (stored in `bot_config`):
// each with its schema, default and a description for the CLI and the admin panel.
import { z } from 'zod';

export const LANGUAGES = ['en', 'de', 'es', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * What the mutation engine (ops/experiments) may try for a setting: a set of values, or a numeric
 * range walked in steps. A setting without it is never experimented on.
 */
export type Mutable =
  | { readonly values: readonly string[] }
  | { readonly min: number; readonly max: number; readonly step: number };

interface SettingDefinition<T extends z.ZodType> {
  schema: T;
  default: z.output<T>;
  description: string;
  /** Declared mutable: the values an experiment may give some users instead of the current one. */
  mutable?: Mutable;
}

function setting<T extends z.ZodType>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}

export const settingsCatalog = {
  'bot.defaultLanguage': setting({
    schema: z.enum(LANGUAGES),
    default: 'en',
    description: "Language for users who have not chosen one and whose Telegram language isn't supported",
  }),
  'bot.welcome': setting({
    schema: z.enum(['classic', 'guided']),
    default: 'classic',
    description: "The /start greeting: 'classic' points to /help, 'guided' also lists the first commands to try",
    mutable: { values: ['classic', 'guided'] },
  }),
  'inbox.maxAttempts': setting({
    schema: z.number().int().min(1).max(20),
    default: 5,
    description: 'How many times a failing update is handled before it is marked failed',
  }),
  'inbox.deadlineSeconds': setting({
    schema: z.number().min(0.1).max(600),
    default: 30,
    description:
      'How long handling one update may take; past it the update is marked failed, its chat moves on and the plugin holding it is charged with a failure',
  }),
  'inbox.maxQueuedPerChat': setting({
    schema: z.number().int().min(1).max(10_000),
    default: 50,
    description: 'Updates one chat may have waiting; newer ones are dropped (and recorded) until it catches up',
  }),
  'inbox.leaseSeconds': setting({
    schema: z.number().min(3).max(600),
    default: 15,
    description:
      'Several instances on PostgreSQL: how long a chat stays with the instance handling it without renewal (renewed every third of it); after a crash, its chats move to another instance within this time',
  }),
  'inbox.retentionDays': setting({
    schema: z.number().int().min(1).max(365),
    default: 7,
    description: 'Days that handled updates stay in the inbox (Telegram never resends after 24 hours)',
  }),
  'usage.retentionDays': setting({
    schema: z.number().int().min(1).max(3650),
    default: 90,
    description: 'Days that usage events are kept',
  }),
  'observer.intervalSeconds': setting({
    schema: z.number().int().min(1).max(3600),
    default: 10,
    description: 'Seconds between two samples of the system metrics',
  }),
  'observer.rawRetentionHours': setting({
    schema: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    default: 24,
    description: 'Hours that raw metric samples are kept (per-minute rollups stay longer)',
  }),
  'observer.rollupRetentionDays': setting({
    schema: z.number().int().min(1).max(3650),
    default: 30,
    description: 'Days that per-minute metric rollups are kept',
  }),
  'health.intervalSeconds': setting({
    schema: z.number().int().min(5).max(3600),
    default: 60,
    description: 'Seconds between two rounds of health checks (database, Telegram, outside services)',
  }),
  'health.retentionDays': setting({
    schema: z.number().int().min(1).max(365),
    default: 7,
    description: 'Days that health-check results are kept',
  }),
  'alerts.cooldownMinutes': setting({
    schema: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    default: 30,
    description: 'Minutes during which the same problem (metric and detector, or health check) is not alerted again',
  }),
  'alerts.forecastHorizonHours': setting({
    schema: z
      .number()
      .int()
      .min(1)
      .max(24 * 90),
    default: 72,
    description: 'Alert when a trend forecasts free disk running out within this many hours',
  }),
  'ai.systemPrompt': setting({
    schema: z.string().min(1).max(8000),
    default:
      "You are the assistant of a Telegram bot. Answer briefly and plainly, in the user's language. " +
      'When one of your tools (the bot commands) does what the user asks, call it.',
    description: 'System prompt of the LLM conversation (LLM mode, when OPENAI_API_KEY is set)',
  }),
  'ai.memoryTokens': setting({
    schema: z.number().int().min(0).max(100_000),
    default: 2000,
    description: 'Recent turns the LLM remembers per user, in tokens (estimated as characters / 4)',
  }),
  'ai.dailyTokenBudget': setting({
    schema: z.number().int().min(0),
    default: 50_000,
    description: 'LLM tokens (prompt + completion) one user may use per UTC day; 0 means no limit',
  }),
  'ai.timeoutSeconds': setting({
    schema: z.number().min(0.1).max(600),
    default: 30,
    description: 'How long the LLM may stay silent (before or between streamed chunks) before the local engine answers',
  }),
  'conversation.confidenceThreshold': setting({
    schema: z.number().min(0.2).max(0.8),
    default: 0.45,
    description:
      'The local conversation engine answers with a command or an intent only above this confidence; below it, it says it is not sure',
    mutable: { min: 0.3, max: 0.6, step: 0.05 },
  }),
  'security.enabled': setting({
    schema: z.boolean(),
    default: true,
    description: 'Rate limits, flood and spam checks and automatic bans on incoming updates (admin bans always apply)',
  }),
  'security.userRateLimit': setting({
    schema: z.number().int().min(1).max(10_000),
    default: 30,
    description: 'Updates one user may send per user rate window; more are dropped',
  }),
  'security.userRateWindowSeconds': setting({
    schema: z.number().int().min(1).max(3600),
    default: 10,
    description: 'Length of the per-user rate window, in seconds',
  }),
  'security.chatRateLimit': setting({
    schema: z.number().int().min(1).max(100_000),
    default: 60,
    description: 'Updates one chat (all its members together) may send per chat rate window; more are dropped',
  }),
  'security.chatRateWindowSeconds': setting({
    schema: z.number().int().min(1).max(3600),
    default: 10,
    description: 'Length of the per-chat rate window, in seconds',
  }),
  'security.floodMessages': setting({
    schema: z.number().int().min(2).max(10_000),
    default: 50,
    description:
      'Updates from one user within the flood window (those over the rate limits included) that count as a flood and earn a ban',
  }),
  'security.floodWindowSeconds': setting({
    schema: z.number().int().min(1).max(3600),
    default: 10,
    description: 'Length of the flood window, in seconds',
  }),
  'security.repeatLimit': setting({
    schema: z.number().int().min(2).max(1000),
    default: 6,
    description: 'The same non-command text this many times in a row (each within 30 s of the last) earns a ban',
  }),
  'security.maxLinks': setting({
    schema: z.number().int().min(1).max(1000),
    default: 5,
    description: 'A message with more links than this is spam and earns a ban',
  }),
  'security.maxMentions': setting({
    schema: z.number().int().min(1).max(1000),
    default: 5,
    description: 'A message mentioning more users than this is spam and earns a ban',
  }),
  'security.banLadderSeconds': setting({
    schema: z
      .array(
        z
          .number()
          .int()
          .min(1)
          .max(365 * 86_400),
      )
      .min(1)
      .max(20),
    default: [60, 600, 3600, 86_400],
    description:
      'Automatic ban lengths in seconds: the first offence gets the first, each repeat the next, the last repeats',
  }),
  'security.banQuietHours': setting({
    schema: z
      .number()
      .min(0)
      .max(24 * 365),
    default: 24,
    description: "Hours without a ban after which a user's next offence starts the ladder again",
  }),
  'security.eventRetentionDays': setting({
    schema: z.number().int().min(1).max(3650),
    default: 90,
    description: 'Days that security events are kept',
  }),
  'update.schedule': setting({
    schema: z.string().max(100),
    default: '',
    description:
      'When the server checks for an update and, if there is one, applies it on its own (backup first, rollback on failure), as a cron pattern (e.g. "0 4 * * 0" for Sundays at 04:00); empty: never',
  }),
  'backup.schedule': setting({
    schema: z.string().max(100),
    default: '',
    description:
      'When the server makes a backup on its own, as a cron pattern (e.g. "0 3 * * *" for 03:00 every day); empty: never',
  }),
  'backup.keepLast': setting({
    schema: z.number().int().min(1).max(1000),
    default: 7,
    description: 'Pruning keeps this many of the newest backups',
  }),
  'backup.keepDaily': setting({
    schema: z.number().int().min(0).max(3650),
    default: 7,
    description: 'Pruning also keeps the newest backup of each of this many most recent days that have one',
  }),
  'backup.keepWeekly': setting({
    schema: z.number().int().min(0).max(520),
    default: 4,
    description: 'Pruning also keeps the newest backup of each of this many most recent weeks that have one',
  }),
  'experiments.maxTrafficShare': setting({
    schema: z.number().min(0.01).max(1),
    default: 0.5,
    description:
      'The largest share of users that running experiments may take together (each experiment takes its own share)',
  }),
  'experiments.maxConcurrent': setting({
    schema: z.number().int().min(1).max(20),
    default: 3,
    description: 'How many experiments may run at once',
  }),
  'experiments.autoRun': setting({
    schema: z.array(z.string().max(200)).max(100),
    default: [],
    description:
      'Targets (a setting key, or plugin:<name>/<variant>) whose proposed experiments start without an admin approving them',
  }),
} as const;

export type SettingKey = keyof typeof settingsCatalog;

/** The part of a key before its dot: the area of the platform a setting belongs to. */
export type SettingArea = SettingKey extends `${infer Area}.${string}` ? Area : never;

/** Headings for the admin panel's settings groups; the type makes a new area add its entry here. */
export const settingAreas: Record<SettingArea, { title: string; description: string }> = {
  bot: { title: 'Bot', description: 'How the bot speaks to its users.' },
  inbox: {
    title: 'Update inbox',
    description: 'How incoming updates are queued, retried, timed out and kept.',
  },
  usage: { title: 'Usage analytics', description: 'The usage events behind the Analytics page.' },
  observer: {
    title: 'System metrics',
    description: 'How often the dashboard metrics are sampled and how long they stay.',
  },
  health: { title: 'Health checks', description: 'Checks of the database, Telegram and outside services.' },
  alerts: { title: 'Alerts', description: 'When admins are told about problems and forecasts.' },
  ai: {
    title: 'AI conversation',
    description: 'The LLM that answers plain messages (shown because OPENAI_API_KEY is set).',
  },
  conversation: {
    title: 'Conversation',
    description: 'How the local conversation engine answers plain messages (and the LLM, when it cannot).',
  },
  security: {
    title: 'Security',
    description: 'Rate limits, flood and spam checks and the automatic ban ladder, applied as updates arrive.',
  },
  experiments: {
    title: 'Experiments',
    description:
      'Limits of the mutation engine: how much traffic and how many experiments at once, and what may start unapproved.',
  },
  backup: {
    title: 'Backups',
    description: 'Scheduled backups of the database and DATA_DIR files, and how many are kept.',
  },
  update: {
    title: 'Updates',
    description: 'Self-update from git on a schedule (off unless set), with a backup first and rollback on failure.',
  },
};
export type SettingValue<K extends SettingKey> = z.output<(typeof settingsCatalog)[K]['schema']>;
export type SettingsSnapshot = { [K in SettingKey]: SettingValue<K> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingsCatalog, key);
}
