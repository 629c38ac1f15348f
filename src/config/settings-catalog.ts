// The dynamic settings an operator can change while the bot runs (stored in `bot_config`):
// each with its schema, default and a description for the CLI and the admin panel.
import { z } from 'zod';

export const LANGUAGES = ['en', 'de', 'es', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

interface SettingDefinition<T extends z.ZodType> {
  schema: T;
  default: z.output<T>;
  description: string;
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
  'inbox.maxAttempts': setting({
    schema: z.number().int().min(1).max(20),
    default: 5,
    description: 'How many times a failing update is handled before it is marked failed',
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
      'Updates from one user within the flood window (throttled ones included) that count as a flood and earn a ban',
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
} as const;

export type SettingKey = keyof typeof settingsCatalog;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingsCatalog)[K]['schema']>;
export type SettingsSnapshot = { [K in SettingKey]: SettingValue<K> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingsCatalog, key);
}
