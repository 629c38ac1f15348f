// A test bed for the publishing plugin: the platform (SQLite or PostgreSQL) with the content store and
// publishing switched on, a fake Mastodon instance and a fake DEV.to (Forem) behind the environment's
// MASTODON_URL/MASTODON_TOKEN and DEVTO_API_ROOT/DEVTO_API_KEY, and user 1001 a bot admin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { DEVTO_TEST_KEY, FakeForem } from './fake-forem.js';
import { FAKE_MASTODON_TOKEN, FakeMastodon } from './fake-mastodon.js';

export const ADMIN = 1001;

export interface PublishingBed {
  readonly bed: PluginTestBed;
  readonly mastodon: FakeMastodon;
  readonly forem: FakeForem;
}

/**
 * Before the calling describe block's tests: the bed, with `config` for the publishing plugin and
 * `plugins` switched on besides content and publishing (e.g. `{ filing: true }`).
 */
export function usePublishingBed(
  kind: 'sqlite' | 'postgres',
  config: Record<string, unknown> = {},
  env: Record<string, string> = {},
  plugins: Record<string, Record<string, unknown> | true> = {},
): PublishingBed {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const mastodon = new FakeMastodon();
  const forem = new FakeForem();
  let database: TestDatabase | undefined;
  let bed: PluginTestBed | undefined;
  beforeAll(async () => {
    await Promise.all([mastodon.start(), forem.start()]);
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: {
        ...(database.url ? { DATABASE_URL: database.url } : {}),
        ADMIN_TELEGRAM_IDS: String(ADMIN),
        MASTODON_URL: mastodon.url,
        MASTODON_TOKEN: FAKE_MASTODON_TOKEN,
        DEVTO_API_ROOT: forem.url,
        DEVTO_API_KEY: DEVTO_TEST_KEY,
        ...env,
      },
      enable: { content: true, ...plugins, publishing: { timeoutSeconds: 2, ...config } },
    });
  });
  afterAll(async () => {
    await bed?.close();
    await Promise.all([mastodon.stop(), forem.stop()]);
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });
  return {
    get bed() {
      return bed as PluginTestBed;
    },
    mastodon,
    forem,
  };
}
