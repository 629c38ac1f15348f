// Starts a whole platform in this process for a test: a test database, a fake Bot API or the
// emulator, a silent logger that keeps its lines for inspection, and helpers to post webhooks.
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { createLogger } from '../../src/config/logger.js';
import type { ConversationHook } from '../../src/core/context.js';
import { type Platform, type PlatformOptions, startPlatform } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { FakeBotApi, TEST_TOKEN } from './fake-bot-api.js';
import { runCache } from './test-run.js';

export const WEBHOOK_SECRET = 'test-webhook-secret_0123456789';

/** One fixed answer to all plain text, for tests that count replies rather than read them. */
export const FIXED_ANSWER = 'Noted.';
export const fixedAnswer: ConversationHook = (ctx) => ctx.reply(FIXED_ANSWER);

export interface TestPlatform extends Platform {
  /** Every log line written so far. */
  readonly logs: string[];
  postUpdate(update: unknown, secret?: string | null): Promise<Response>;
}

export async function startTestPlatform(
  database: TestDatabase,
  env: Record<string, string | undefined>,
  options: PlatformOptions = {},
): Promise<TestPlatform> {
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'info',
    ...runCache(),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const secrets = [config.BOT_TOKEN, config.WEBHOOK_SECRET].filter((value): value is string => !!value);
  const logger = createLogger(config, secrets, sink);
  const platform = await startPlatform(config, { retryBaseMs: 20, logger, ...options });
  return Object.assign(platform, {
    logs,
    postUpdate: (update: unknown, secret: string | null = WEBHOOK_SECRET) => postWebhook(platform.url, update, secret),
  });
}

/** POSTs an update (or a raw body) to the webhook of the server at `baseUrl`, as Telegram does. */
export function postWebhook(
  baseUrl: string,
  update: unknown,
  secret: string | null = WEBHOOK_SECRET,
): Promise<Response> {
  return fetch(`${baseUrl}/telegram/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    body: typeof update === 'string' ? update : JSON.stringify(update),
  });
}

/** Signs in through the panel's login form: the session cookie and the pages' CSRF token. */
export { signIn as adminSession } from '../../src/testing/admin-client.js';

/**
 * A webhook platform for tests that talk to the bot turn by turn: plain text gets a fixed answer,
 * the fake's calls are cleared before each test, and each test waits for what it started.
 */
export function useConversationPlatform(
  kind: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
  options: PlatformOptions = {},
): WebhookFixture {
  const fixture = useWebhookPlatform(kind, env, { conversation: fixedAnswer, ...options });
  beforeEach(() => {
    fixture.fake.calls.length = 0;
  });
  afterEach(async () => {
    await fixture.platform.idle();
  });
  return fixture;
}

/** Environment for webhook mode against a fake Bot API. */
export function webhookEnv(apiRoot: string): Record<string, string> {
  return {
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    WEBHOOK_URL: 'https://bot.example.test',
    WEBHOOK_SECRET,
    TELEGRAM_THROTTLE: 'off',
  };
}

export interface WebhookFixture {
  database: TestDatabase;
  fake: FakeBotApi;
  platform: TestPlatform;
}

/**
 * A webhook-mode platform against its own fake Bot API and test database, started before the
 * tests of the calling describe block and stopped after them. Its fields are set once started.
 */
export function useWebhookPlatform(
  kind: 'sqlite' | 'postgres',
  env: Record<string, string> = {},
  options: PlatformOptions = {},
): WebhookFixture {
  const fixture = {} as WebhookFixture;
  beforeAll(async () => {
    fixture.database = await createTestDatabase(kind);
    fixture.fake = await new FakeBotApi().start();
    fixture.platform = await startTestPlatform(fixture.database, { ...webhookEnv(fixture.fake.url), ...env }, options);
    await fixture.platform.ready;
  });
  afterAll(async () => {
    await fixture.platform?.stop();
    await fixture.fake?.stop();
    await fixture.database?.dispose();
  });
  return fixture;
}
