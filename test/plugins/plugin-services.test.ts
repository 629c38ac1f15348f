// Services between plugins, through the platform as a plugin author's test bed runs it: the example
// points-shop spends the example points plugin's points through its wallet service; dependents stop before
// their provider and a stale handle is refused; an undeclared or unknown service refuses the plugin;
// a reloaded provider's new code is what its dependents reach.
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginStore } from '../../src/plugins/store.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/plugins/', import.meta.url));
// Under the repository, so that the plugins import omnicore/plugin and zod as an operator's would.
const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/services-${process.pid}/`, import.meta.url));

/** What the test plugins hand the test: a handle they were given, what they saw while stopping. */
interface Seen {
  handle?: { balance(userId: number): Promise<number> };
  whileStopping?: string;
  version?: () => number;
}
const seen: Seen = {};
(globalThis as { servicesTest?: Seen }).servicesTest = seen;

const plugin = (folder: string, fields: string, setup: string): void => {
  mkdirSync(path.join(PLUGINS_DIR, folder), { recursive: true });
  writeFileSync(
    path.join(PLUGINS_DIR, folder, 'index.mjs'),
    `export default { name: '${folder}', version: '1.0.0', description: 'd', platform: '*', ${fields}
      setup(ctx) { const seen = globalThis.servicesTest; ${setup} } };`,
  );
};

const counter = (version: number): void =>
  plugin('counter', '', `ctx.provide('version', { current: () => ${version} });`);

describe('services between plugins', () => {
  let bed: PluginTestBed;
  const status = (name: string) => bed.platform.plugins.list().find((entry) => entry.name === name);

  beforeAll(async () => {
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
    for (const example of ['points', 'points-shop'])
      cpSync(path.join(EXAMPLES, example), path.join(PLUGINS_DIR, example), { recursive: true });
    plugin(
      'spy',
      "dependsOn: ['points'],",
      `const wallet = ctx.use('points/wallet');
      seen.handle = wallet;
      ctx.onDisable(async () => {
        seen.whileStopping = await wallet.balance(5).then((points) => 'answered ' + points, (error) => error.code);
      });`,
    );
    plugin('thief', '', "ctx.use('points/wallet');");
    plugin('misser', "dependsOn: ['points'],", "ctx.use('points/vault');");
    counter(1);
    plugin(
      'reader',
      "dependsOn: ['counter'],",
      "const counter = ctx.use('counter/version'); seen.version = () => counter.current();",
    );
    bed = await createPluginTestBed({
      pluginsDir: PLUGINS_DIR,
      enable: { points: true, 'points-shop': true, spy: true, counter: true, reader: true },
    });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
  });

  it('lets the points-shop spend the points the points plugin keeps', async () => {
    bed.push('/points');
    expect(await bed.popText()).toBe('You have 100 points.');
    bed.push('/buy badge');
    expect(await bed.popText()).toBe('Here is your badge. You have 20 points left.');
    bed.push('/buy sticker');
    expect(await bed.popText()).toBe('A sticker costs 30 points; you have 20.');
    bed.push('/points');
    expect(await bed.popText()).toBe('You have 20 points.');
  });

  it('switches dependents off before their provider, and refuses a call once the provider is off', async () => {
    await bed.platform.plugins.setEnabled('points', false);
    expect(status('points-shop')).toMatchObject({ enabled: true, active: false });
    // The spy stopped while points still ran, so its last call was answered.
    expect(seen.whileStopping).toBe('answered 100');
    expect(() => seen.handle?.balance(1001)).toThrow(
      expect.objectContaining({ code: 'PLUGIN_SERVICE_STOPPED', message: expect.stringContaining('points/wallet') }),
    );
    bed.push('/buy sticker');
    expect(await bed.popText()).toContain("I don't know /buy");

    await bed.platform.plugins.setEnabled('points', true);
    expect(status('points-shop')?.active).toBe(true);
    expect(await seen.handle?.balance(1001)).toBe(20);
  });

  it('refuses a plugin that uses a service of a plugin it does not depend on, or one not provided', () => {
    expect(status('thief')?.refused).toMatchObject({
      code: 'PLUGIN_SERVICE_UNDECLARED',
      message: expect.stringContaining('thief uses points/wallet: add "points" to its dependsOn'),
    });
    expect(status('misser')?.refused).toMatchObject({
      code: 'PLUGIN_SERVICE_MISSING',
      message: expect.stringContaining('points does not provide vault (it provides: wallet)'),
    });
  });

  it("reaches the provider's new code after it is reloaded", async () => {
    expect(seen.version?.()).toBe(1);
    counter(2);
    await new PluginStore(bed.platform.database.db).requestReload('counter');
    await bed.platform.plugins.sync();
    expect(status('counter')).toMatchObject({ active: true, lastError: null });
    expect(seen.version?.()).toBe(2);
  });
});
