// A plugin whose setup() never settles is refused once its time is up (PLUGIN_SETUP_TIMEOUT), and
// the plugins after it still load. Here through the host with a short deadline, on a real plugins
// folder and database; test/plugins/plugin-start.test.ts covers the default through `omnicore start`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createUsageAnalytics } from '../../src/analytics/report.js';
import { createLogger } from '../../src/config/logger.js';
import { CommandRegistry } from '../../src/core/command-registry.js';
import { EventBus } from '../../src/core/events.js';
import { PluginHost } from '../../src/plugins/host.js';
import { pluginStorage } from '../../src/plugins/storage.js';
import { PluginStore } from '../../src/plugins/store.js';
import { useMigratedDatabase } from '../support/databases.js';

const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-setup-'));

const plugin = (name: string, setup: string): void => {
  mkdirSync(path.join(pluginsDir, name));
  writeFileSync(
    path.join(pluginsDir, name, 'index.mjs'),
    `export default { name: '${name}', version: '1.0.0', description: 'd', platform: '*', ${setup} };`,
  );
};

describe('plugin setup deadline', () => {
  const migrated = useMigratedDatabase('sqlite');
  afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

  it('refuses a plugin whose setup never settles and loads the others', async () => {
    plugin('a-stuck', 'setup() { return new Promise(() => {}); }');
    plugin(
      'b-slow',
      "async setup(ctx) { await new Promise((r) => setTimeout(r, 50)); ctx.command('slow', 'd', () => {}); }",
    );
    plugin('c-quick', "setup(ctx) { ctx.command('quick', 'd', () => {}); }");
    const logs: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    });
    const db = migrated.handle.db;
    const host = new PluginHost({
      store: new PluginStore(db),
      registry: new CommandRegistry(),
      log: createLogger({ LOG_LEVEL: 'info' }, [], sink),
      platformVersion: '0.1.0',
      dirs: [pluginsDir],
      alert: async () => {},
      events: new EventBus(),
      metrics: new Registry(),
      storageFor: (name) => pluginStorage(db, name),
      analytics: createUsageAnalytics(db, () => []),
      setupTimeoutMs: 300,
    });
    const started = Date.now();
    await host.load();
    expect(Date.now() - started).toBeLessThan(3000);
    const statuses = host.list();
    expect(statuses.find((status) => status.name === 'a-stuck')?.refused).toEqual({
      code: 'PLUGIN_SETUP_TIMEOUT',
      message: "the plugin's setup did not finish in time: a-stuck: setup() still running after 300 ms",
    });
    expect(statuses.filter((status) => !status.refused).map((status) => [status.name, status.commands.length])).toEqual(
      [
        ['b-slow', 1],
        ['c-quick', 1],
      ],
    );
    expect(logs.join('')).toMatch(/"plugin":"a-stuck","code":"PLUGIN_SETUP_TIMEOUT"/);
    await host.stop();
  }, 10_000);
});
