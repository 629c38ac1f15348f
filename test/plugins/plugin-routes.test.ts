// A plugin's HTTP routes through the real server: each :param reaches the plugin decoded exactly once
// (an encoded %2F or %25 stays the character it encodes), and a malformed percent-encoding is the
// client's mistake (400), never a 500.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWebhookPlatform } from '../support/platform.js';

const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-routes-'));
mkdirSync(path.join(pluginsDir, 'router'));
writeFileSync(
  path.join(pluginsDir, 'router', 'index.mjs'),
  `export default { name: 'router', version: '1.0.0', description: 'd', platform: '*', setup(ctx) {
    ctx.routes.get('/echo/:value', (request) => ({ value: request.params.value }));
    ctx.routes.get('files/:dir/:name', (request) => ({ dir: request.params.dir, name: request.params.name }));
    ctx.routes.post('/echo/:value', (request) => ({ posted: request.params.value }));
  } };`,
);

describe('plugin routes', () => {
  const fixture = useWebhookPlatform('sqlite', { PLUGINS_DIR: pluginsDir });
  const get = (rest: string) => fetch(`${fixture.platform.url}/plugins/router${rest}`);

  beforeAll(async () => {
    await fixture.platform.plugins.setEnabled('router', true);
  });
  afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

  it('hands each param to the plugin decoded exactly once', async () => {
    const cases: [string, unknown][] = [
      ['/echo/ada%20l?x=1', { value: 'ada l' }],
      ['/echo/%252e%252e', { value: '%2e%2e' }],
      ['/echo/a%2Fb', { value: 'a/b' }],
      ['/echo/%25E0%25A4%25A', { value: '%E0%A4%A' }],
      ['/echo/caf%C3%A9/', { value: 'café' }],
      ['/files/docs/read%20me.txt', { dir: 'docs', name: 'read me.txt' }],
    ];
    for (const [rest, body] of cases) {
      const response = await get(rest);
      expect(response.status, rest).toBe(200);
      expect(await response.json(), rest).toEqual(body);
    }
    const posted = await fetch(`${fixture.platform.url}/plugins/router/echo/x%252F`, { method: 'POST' });
    expect(await posted.json()).toEqual({ posted: 'x%2F' });
  });

  it('answers a malformed percent-encoding with 400 and an unknown route with 404', async () => {
    expect((await get('/echo/%E0%A4%A')).status).toBe(400);
    expect(() => fixture.platform.plugins.route('router', 'GET', '/echo/%E0%A4%A')).toThrow(
      expect.objectContaining({ code: 'OMNI_BAD_REQUEST', statusCode: 400 }),
    );
    expect((await get('/echo/a/b')).status).toBe(404);
    expect((await get('/nothing')).status).toBe(404);
    expect((await fetch(`${fixture.platform.url}/plugins/other/echo/x`)).status).toBe(404);
  });
});
