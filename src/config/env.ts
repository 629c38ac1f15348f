// The environment contract of DESIGN.md §3: one zod schema, validated once at boot, then frozen.
// Anything wrong stops the process with one line naming the variable (see config-error.ts).
import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { passwordSchema, usernameSchema } from './admin-credentials.js';
import { ConfigError } from './config-error.js';
import { MIN_REDACTED_LENGTH } from './redaction.js';

/** Variables whose values must never reach a log line, a page or an error message. */
export const SECRET_VARIABLES = [
  'BOT_TOKEN',
  'WEBHOOK_SECRET',
  'ADMIN_PASSWORD',
  'OPENAI_API_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'TELEGRAM_PAYMENT_PROVIDER_TOKEN',
  'CRYPTOPAY_TOKEN',
  'NOWPAYMENTS_API_KEY',
  'NOWPAYMENTS_IPN_SECRET',
  'BTCPAY_API_KEY',
  'BTCPAY_WEBHOOK_SECRET',
  'MASTODON_TOKEN',
  'DEVTO_API_KEY',
  'GITHUB_TOKEN',
  'BACKUP_PASSPHRASE',
] as const;

const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const optionalSecret = z.string().min(1).optional();

const envSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    EMULATOR_ALLOW_REMOTE: z
      .enum(['0', '1'], { error: 'must be 1 or 0' })
      .transform((value) => value === '1')
      .default(false),
    DATA_DIR: z.string().min(1).default('./data'),
    PLUGINS_DIR: z.string().min(1).optional(),
    CACHE_DIR: z.string().min(1).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
      .optional(),
    SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
      .optional(),
    BOT_TOKEN: z
      .string()
      .regex(/^\d+:[\w-]{20,}$/, 'is not a bot token of the form 123456:ABC-DEF… (from @BotFather)')
      .optional(),
    TELEGRAM_API_ROOT: httpUrl.default('https://api.telegram.org'),
    TELEGRAM_THROTTLE: z.enum(['on', 'off']).optional(),
    BOT_MODE: z.enum(['polling', 'webhook', 'emulator']).optional(),
    WEBHOOK_URL: httpUrl.optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    ADMIN_USERNAME: usernameSchema.optional(),
    ADMIN_PASSWORD: passwordSchema.optional(),
    ADMIN_TELEGRAM_IDS: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be a comma-separated list of numeric user ids')
      .transform((list) => list.split(',').map((id) => Number(id.trim())))
      .default([]),
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    OPENAI_API_KEY: optionalSecret,
    OPENAI_BASE_URL: httpUrl.optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
    STRIPE_SECRET_KEY: optionalSecret,
    STRIPE_WEBHOOK_SECRET: optionalSecret,
    STRIPE_API_ROOT: httpUrl.optional(),
    TELEGRAM_PAYMENT_PROVIDER_TOKEN: optionalSecret,
    CRYPTOPAY_TOKEN: optionalSecret,
    CRYPTOPAY_API_ROOT: httpUrl.optional(),
    NOWPAYMENTS_API_KEY: optionalSecret,
    NOWPAYMENTS_IPN_SECRET: optionalSecret,
    NOWPAYMENTS_API_ROOT: httpUrl.optional(),
    BTCPAY_URL: httpUrl.optional(),
    BTCPAY_API_KEY: optionalSecret,
    BTCPAY_STORE_ID: z.string().min(1).optional(),
    BTCPAY_WEBHOOK_SECRET: optionalSecret,
    MASTODON_URL: httpUrl.optional(),
    MASTODON_TOKEN: optionalSecret,
    DEVTO_API_KEY: optionalSecret,
    DEVTO_API_ROOT: httpUrl.optional(),
    GITHUB_TOKEN: optionalSecret,
    GITHUB_API_ROOT: httpUrl.optional(),
    UPDATE_REMOTE: z.string().min(1).default('origin'),
    UPDATE_BRANCH: z.string().min(1).default('main'),
    GITHUB_REPOSITORY: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/name')
      .optional(),
    // Encrypts the parts of every backup made while set; needed again to verify or restore them.
    BACKUP_PASSPHRASE: z.string().min(8, 'must be at least 8 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Unset: pretty on a terminal, JSON lines otherwise (see config/logger).
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  })
  .superRefine((env, ctx) => {
    const mode = env.BOT_MODE;
    if ((mode === 'polling' || mode === 'webhook') && !env.BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: `is required when BOT_MODE=${mode}` });
    }
    if (mode === 'webhook' && !env.WEBHOOK_URL) {
      ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when BOT_MODE=webhook' });
    }
    if (!env.ADMIN_USERNAME !== !env.ADMIN_PASSWORD) {
      const missing = env.ADMIN_USERNAME ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'ADMIN_USERNAME and ADMIN_PASSWORD go together' });
    }
    if (!mode && env.WEBHOOK_URL && !env.BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['BOT_TOKEN'], message: 'is required when WEBHOOK_URL is set' });
    }
    // A self-hosted BTCPay Server needs all three to make invoices; its webhook secret is optional.
    const btcpay = ['BTCPAY_URL', 'BTCPAY_API_KEY', 'BTCPAY_STORE_ID'] as const;
    const btcpayMissing = btcpay.filter((name) => !env[name]);
    if (btcpayMissing.length > 0 && (btcpayMissing.length < btcpay.length || env.BTCPAY_WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [btcpayMissing[0] as string],
        message: 'BTCPAY_URL, BTCPAY_API_KEY and BTCPAY_STORE_ID go together',
      });
    }
    // The emulator's chat API lets whoever reaches the port speak as any user, admins included.
    const emulator = mode === 'emulator' || (!mode && !env.WEBHOOK_URL && !env.BOT_TOKEN);
    if (emulator && !isLoopback(env.HOST) && !env.EMULATOR_ALLOW_REMOTE) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOST'],
        message:
          'must be a loopback address in emulator mode (no BOT_TOKEN), whose chat API has no authentication; set EMULATOR_ALLOW_REMOTE=1 to listen there anyway',
      });
    }
  });

/** Every variable the schema reads, for the documented .env.example to be checked against. */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** Addresses only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && (host === '::1' || /^::ffff:127\./i.test(host));
}

export type BotMode = 'polling' | 'webhook' | 'emulator';

export type Config = Readonly<
  Omit<z.output<typeof envSchema>, 'BOT_MODE' | 'DATA_DIR' | 'PLUGINS_DIR' | 'CACHE_DIR'> & {
    BOT_MODE: BotMode;
    /** Absolute path. */
    DATA_DIR: string;
    /** Absolute path; DATA_DIR/plugins unless set. */
    PLUGINS_DIR: string;
    /** Absolute path; DATA_DIR/cache unless set. What is kept here can always be made again. */
    CACHE_DIR: string;
    /** Whether outgoing Bot API calls are paced to Telegram's published limits. */
    throttle: boolean;
  }
>;

/** Validates the process environment once; the result is frozen. Throws the first problem found. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value means "unset", as .env files and shell exports often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const secret = (SECRET_VARIABLES as readonly string[]).includes(variable);
    const got = !secret && present[variable] !== undefined ? ` (got "${present[variable]}")` : '';
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${got}`);
  }
  const values = parsed.data;
  const mode: BotMode = values.BOT_MODE ?? (values.WEBHOOK_URL ? 'webhook' : values.BOT_TOKEN ? 'polling' : 'emulator');
  return Object.freeze({
    ...values,
    BOT_MODE: mode,
    DATA_DIR: path.resolve(values.DATA_DIR),
    PLUGINS_DIR: path.resolve(values.PLUGINS_DIR ?? path.join(values.DATA_DIR, 'plugins')),
    CACHE_DIR: path.resolve(values.CACHE_DIR ?? path.join(values.DATA_DIR, 'cache')),
    throttle: mode !== 'emulator' && values.TELEGRAM_THROTTLE !== 'off',
  });
}

/** Every secret value in force, for redaction. Short values are skipped: they would redact ordinary words. */
export function secretValues(config: Config, extra: readonly string[] = []): string[] {
  const values: string[] = [...extra];
  for (const name of SECRET_VARIABLES) {
    const value = config[name];
    if (typeof value === 'string') values.push(value);
  }
  for (const url of [config.DATABASE_URL, config.REDIS_URL]) {
    const password = url ? passwordOf(url) : undefined;
    if (password) values.push(password);
  }
  return [...new Set(values.filter((value) => value.length >= MIN_REDACTED_LENGTH))];
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
