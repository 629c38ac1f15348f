// Plugins' pages, JSON routes and files in the admin panel, through fastify's inject against a whole
// platform: the panel's session and CSRF rules hold for them, their input is checked, a handler
// that throws is a clean 500 charged to its plugin, their files stay inside their assets folder,
// and all of it follows the plugins table (as another instance or the CLI changes it).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { writeLedgerPlugin } from '../support/ledger-plugin.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';
const PAGE = '/admin/plugins/ledger/entries';
const API = '/api/admin/plugins/ledger';

/** A plugin whose admin declaration is wrong in one way. */
function writeBadPlugin(dir: string, name: string, declaration: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(
    path.join(dir, name, 'index.mjs'),
    `import { definePlugin } from 'omnicore/plugin';
export default definePlugin({ name: '${name}', version: '1.0.0', description: 'declares badly', platform: '*',
  setup(ctx) { ${declaration} } });`,
  );
  writeFileSync(path.join(dir, name, 'page.eta'), '<p>page</p>');
}

describe.each(['sqlite', 'postgres'] as const)('plugin admin pages on %s', (kind) => {
  const pluginsDir = fileURLToPath(new URL(`../../test-results/plugin-pages-${kind}-${process.pid}/`, import.meta.url));
  let database: TestDatabase;
  let platform: TestPlatform;
  let session: { cookie: string; csrf: string };

  const get = (url: string, cookie: string | null = session.cookie) =>
    platform.app.inject({ url, headers: cookie ? { cookie } : {} });
  const post = (url: string, payload: unknown, headers: Record<string, string> = { 'x-csrf-token': session.csrf }) =>
    platform.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: { cookie: session.cookie, ...headers },
    });
  const row = () =>
    platform.database.db.selectFrom('plugins').selectAll().where('name', '=', 'ledger').executeTakeFirstOrThrow();

  beforeAll(async () => {
    rmSync(pluginsDir, { recursive: true, force: true });
    const ledger = writeLedgerPlugin(pluginsDir);
    symlinkSync(path.join(ledger, 'outside-assets.txt'), path.join(ledger, 'public', 'linked.txt'));
    writeBadPlugin(
      pluginsDir,
      'strayview',
      "ctx.admin.page({ path: 'p', title: 'P', view: '../ledger/views/entry.eta' });",
    );
    writeBadPlugin(pluginsDir, 'squatter', "ctx.admin.route('PUT', 'config', () => ({}));");
    writeBadPlugin(
      pluginsDir,
      'noassets',
      "ctx.admin.page({ path: 'p', title: 'P', view: 'page.eta', scripts: ['x.js'] });",
    );
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, {
      PLUGINS_DIR: pluginsDir,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
    });
    await platform.plugins.setEnabled('ledger', true);
    session = await adminSession(platform, 'admin', PASSWORD);
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it("renders a plugin's page inside the panel's layout, listed in the navigation, its data escaped", async () => {
    expect((await post(`${API}/entries`, { text: '<b>rent</b>', amount: 12 })).statusCode).toBe(200);
    const page = await get(PAGE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('navbar');
    expect(page.body).toMatch(
      /<a class="dropdown-item active" href="\/admin\/plugins\/ledger\/entries" aria-current="page">.*Ledger<\/a>/,
    );
    expect(page.body).toContain('&lt;b&gt;rent&lt;/b&gt;');
    expect(page.body).not.toContain('<b>rent</b>');
    expect(page.body).toContain('Signed in as admin');
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]);
    expect(scripts.slice(-3)).toEqual([
      '/admin/assets/chartjs/chart.umd.min.js',
      '/admin/assets/app/charts.js',
      '/admin/assets/plugins/ledger/ledger.js',
    ]);
    expect(page.body).toContain('<link rel="stylesheet" href="/admin/assets/plugins/ledger/ledger.css">');
    // Every other page lists it too; the detail page (a :param) is reached by its link only.
    const dashboard = await get('/admin');
    expect(dashboard.body).toContain('href="/admin/plugins/ledger/entries"');
    expect(dashboard.body).not.toContain('Ledger entry');
    const detail = await get(`${PAGE}/0`);
    expect(detail.body).toContain('Entry 0: &lt;b&gt;rent&lt;/b&gt; (12)');
    // The plugin's own panel page leads to the pages it adds.
    const own = await get('/admin/plugins/ledger');
    expect(own.body).toMatch(
      /data-plugin-pages>\s*<a class="[^"]*" href="\/admin\/plugins\/ledger\/entries">.*Ledger<\/a>/,
    );
  });

  it('sends the signed-out to sign in, from its pages, files and routes alike', async () => {
    const page = await get(PAGE, null);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe(`/admin/login?next=${encodeURIComponent(PAGE)}`);
    expect((await get('/admin/assets/plugins/ledger/ledger.js', null)).statusCode).toBe(302);
    const api = await platform.app.inject({ method: 'POST', url: `${API}/entries`, payload: { text: 'x', amount: 1 } });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('OMNI_SIGNED_OUT');
    expect((await get(`${API}/entries`, null)).statusCode).toBe(401);
  });

  it('refuses a state-changing call without the CSRF token, and changes nothing', async () => {
    const before = (await get(`${API}/entries`)).json().entries.length;
    for (const headers of [{}, { 'x-csrf-token': `${session.csrf}x` }] as Record<string, string>[]) {
      const response = await post(`${API}/entries`, { text: 'forged', amount: 1 }, headers);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('OMNI_CSRF_REJECTED');
    }
    const form = await post(`${API}/entries`, `text=forged&_csrf=${session.csrf}x`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.statusCode).toBe(403);
    const after = await get(`${API}/entries`);
    expect(after.json()).toMatchObject({ askedBy: 'admin' });
    expect(after.json().entries).toHaveLength(before);
  });

  it('answers bad input with 400 OMNI_INVALID_INPUT, each problem at its field', async () => {
    const before = (await get(`${API}/entries`)).json().entries.length;
    const response = await post(`${API}/entries`, { text: '   ', amount: 5000 });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('OMNI_INVALID_INPUT');
    expect(error.fields.text).toBe('write something');
    expect(error.fields.amount).toMatch(/1000/);
    expect(
      (await post(`${API}/entries`, 'not json', { 'x-csrf-token': session.csrf, 'content-type': 'application/json' }))
        .statusCode,
    ).toBe(400);
    expect((await get(`${API}/entries`)).json().entries).toHaveLength(before);
    const page = await get(`${PAGE}/minus-one`);
    expect(page.statusCode).toBe(400);
    expect(page.json().error.fields.index).toBeDefined();
  });

  it("records the plugin's audit entries as the signed-in admin, from the request's address", async () => {
    expect((await post(`${API}/entries`, { text: 'coffee', amount: 3 })).json()).toMatchObject({ ok: true });
    const entry = await platform.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', 'coffee')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'admin', action: 'plugin.ledger.add', ip: '127.0.0.1' });
    expect(JSON.parse(entry.details as string)).toEqual({ amount: 3 });
    const audit = await get('/admin/audit?action=plugin.ledger.add');
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain('coffee');
  });

  it('passes on a refusal the plugin means, without counting it against the plugin', async () => {
    const before = await row();
    const missing = await get(`${PAGE}/99`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({ code: 'OMNI_NOT_FOUND', message: 'no such route: no entry 99' });
    expect((await row()).error_count).toBe(before.error_count);
  });

  it('answers a handler that throws with a plain 500, charges the plugin, and goes on', async () => {
    const before = await row();
    const response = await post(`${API}/explode`, {});
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe('OMNI_INTERNAL');
    expect(response.body).toContain('ledger');
    expect(response.body).not.toContain('hunter2');
    const after = await row();
    expect(after.error_count).toBe(before.error_count + 1);
    expect(after.last_error).toContain('the ledger exploded');
    expect(platform.plugins.list().find((plugin) => plugin.name === 'ledger')?.active).toBe(true);
    expect((await get(PAGE)).statusCode).toBe(200);
  });

  it('serves the files of its assets folder and nothing beside them', async () => {
    const script = await get('/admin/assets/plugins/ledger/ledger.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.body).toContain('scripted');
    for (const url of [
      '/admin/assets/plugins/ledger/.secret',
      '/admin/assets/plugins/ledger/linked.txt',
      '/admin/assets/plugins/ledger/../index.mjs',
      '/admin/assets/plugins/ledger/%2e%2e/index.mjs',
      '/admin/assets/plugins/ledger/%2E%2E%2Findex.mjs',
      '/admin/assets/plugins/ledger/missing.js',
      '/admin/assets/plugins/nobody/ledger.js',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain('definePlugin');
    }
  });

  it('refuses a plugin whose declaration is wrong, with the reason, and runs the others', async () => {
    const refused = Object.fromEntries(
      platform.plugins
        .list()
        .filter((plugin) => plugin.refused)
        .map((plugin) => [plugin.name, plugin.refused]),
    );
    expect(refused.strayview).toMatchObject({ code: 'PLUGIN_SETUP_FAILED' });
    expect(refused.strayview?.message).toContain("inside the plugin's folder");
    expect(refused.squatter?.message).toContain('/config belongs to the panel');
    expect(refused.noassets?.message).toContain('ctx.admin.assets(folder)');
    expect(platform.plugins.list().find((plugin) => plugin.name === 'ledger')?.active).toBe(true);
  });

  it('takes its pages, files and routes away while the table says it is off, and brings them back', async () => {
    // As another instance or `omnicore plugins disable` would: only the table changes.
    await platform.database.db.updateTable('plugins').set({ enabled: 0 }).where('name', '=', 'ledger').execute();
    await expect.poll(async () => (await get(PAGE)).statusCode, { timeout: 5000 }).toBe(404);
    expect((await get('/admin')).body).not.toContain('/admin/plugins/ledger/entries');
    expect((await get('/admin/plugins/ledger')).body).not.toContain('data-plugin-pages');
    expect((await get(`${API}/entries`)).statusCode).toBe(404);
    expect((await post(`${API}/entries`, { text: 'while off', amount: 1 })).statusCode).toBe(404);
    expect((await get('/admin/assets/plugins/ledger/ledger.js')).statusCode).toBe(404);
    await platform.database.db.updateTable('plugins').set({ enabled: 1 }).where('name', '=', 'ledger').execute();
    await expect.poll(async () => (await get(PAGE)).statusCode, { timeout: 5000 }).toBe(200);
    expect((await get('/admin')).body).toContain('/admin/plugins/ledger/entries');
  });
});
