// A careless plugin logs a secret it keeps with ctx.secrets: the process's log has `[redacted]`
// where the value would be, whether the plugin logs it as a field, inside its message, or in an
// error; the secret was given to no logger at start.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REDACTED } from '../../src/config/logger.js';
import { useWebhookPlatform } from '../support/platform.js';

const TOKEN = 'mastodon-Qw7Er5Ty3Ui1Op9As';
const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-careless-'));
mkdirSync(path.join(pluginsDir, 'careless'));
writeFileSync(
  path.join(pluginsDir, 'careless', 'index.mjs'),
  `export default { name: 'careless', version: '1.0.0', description: 'd', platform: '*', setup(ctx) {
    ctx.routes.post('/token/:value', async (request) => {
      await ctx.secrets.set('mastodon.token', request.params.value);
      return { kept: true };
    });
    ctx.routes.get('/use', async () => {
      const token = await ctx.secrets.get('mastodon.token');
      ctx.log.info({ token }, 'signing in with the token ' + token);
      ctx.log.error({ err: new Error('401 for Bearer ' + token) }, 'careless line');
      return { used: true };
    });
  } };`,
);

const fixture = useWebhookPlatform('sqlite', { PLUGINS_DIR: pluginsDir });
const plugin = (rest: string, method = 'GET') =>
  fetch(`${fixture.platform.url}/plugins/careless${rest}`, { method }).then((response) => response.json());

beforeAll(async () => {
  await fixture.platform.plugins.setEnabled('careless', true);
});
afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

it('masks a secret value set through ctx.secrets wherever a plugin logs it', async () => {
  expect(await plugin(`/token/${TOKEN}`, 'POST')).toEqual({ kept: true });
  expect(await plugin('/use')).toEqual({ used: true });
  const logged = fixture.platform.logs.join('');
  expect(logged).toContain(`"token":"${REDACTED}"`);
  expect(logged).toContain(`signing in with the token ${REDACTED}`);
  expect(logged).toContain(`401 for Bearer ${REDACTED}`);
  expect(logged).not.toContain(TOKEN);
});
