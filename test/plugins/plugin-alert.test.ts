// ctx.alert through the real host, on SQLite and PostgreSQL: a plugin's alert reaches the admins
// in Telegram once, the same subject raised again within the cool-down folds into it, another
// subject is another alert, a bad subject is refused before anything is stored, and the panel's
// dashboard lists the alert as the plugin's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { adminSession, useWebhookPlatform } from '../support/platform.js';

const ADMIN = 4242;
const PASSWORD = 'correct-horse-battery';
const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-plugin-alert-'));
mkdirSync(path.join(pluginsDir, 'watcher'));
writeFileSync(
  path.join(pluginsDir, 'watcher', 'index.mjs'),
  `export default { name: 'watcher', version: '1.0.0', description: 'd', platform: '*', setup(ctx) {
    ctx.routes.get('/raise/:subject', async (request) => {
      try {
        await ctx.alert(request.params.subject, 'The queue has not moved for 10 minutes');
        return { raised: true };
      } catch (error) {
        return { refused: error.message };
      }
    });
  } };`,
);

afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

describe.each(DATABASE_KINDS)('a plugin’s alerts on %s', (kind) => {
  const fixture = useWebhookPlatform(kind, {
    PLUGINS_DIR: pluginsDir,
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: PASSWORD,
  });
  const raise = async (subject: string) =>
    (await fetch(`${fixture.platform.url}/plugins/watcher/raise/${encodeURIComponent(subject)}`)).json();
  const alertTexts = () => fixture.fake.sentTexts(ADMIN).filter((text) => text.startsWith('⚠️ OMNICore alert'));

  beforeAll(async () => {
    await fixture.platform.plugins.setEnabled('watcher', true);
  });

  it('sends one message for the same subject raised twice, folding the second', async () => {
    expect(await raise('queue.stuck')).toEqual({ raised: true });
    expect(await raise('queue.stuck')).toEqual({ raised: true });
    await fixture.platform.alerts.idle();
    expect(alertTexts()).toEqual(['⚠️ OMNICore alert\nPlugin watcher: The queue has not moved for 10 minutes']);
    const [alert] = await fixture.platform.alerts.recent(10);
    expect(alert).toMatchObject({ kind: 'plugin', subject: 'plugin:watcher:queue.stuck', notified: 1 });
    expect(Number(alert?.occurrences)).toBe(2);
  });

  it('sends another subject as another alert', async () => {
    expect(await raise('feed:mastodon')).toEqual({ raised: true });
    await fixture.platform.alerts.idle();
    expect(alertTexts()).toHaveLength(2);
    expect((await fixture.platform.alerts.recent(10)).map((alert) => alert.subject)).toEqual([
      'plugin:watcher:feed:mastodon',
      'plugin:watcher:queue.stuck',
    ]);
  });

  it('refuses a subject outside 1–80 of a-z, 0-9, . _ - :, storing nothing', async () => {
    for (const subject of ['Queue', 'a b', 'x'.repeat(81)]) {
      expect(await raise(subject)).toEqual({ refused: expect.stringContaining('the subject is 1–80 of a-z') });
    }
    await fixture.platform.alerts.idle();
    expect(await fixture.platform.alerts.recent(10)).toHaveLength(2);
  });

  it('shows the alert on the panel’s dashboard as the plugin’s', async () => {
    const { cookie } = await adminSession(fixture.platform, 'admin', PASSWORD);
    const page = await fixture.platform.app.inject({ url: '/admin', headers: { cookie } });
    expect(page.body).toMatch(/>plugin<\/span>Plugin watcher: The queue has not moved for 10 minutes/);
    expect(page.body).toContain('(×2)');
  });
});
