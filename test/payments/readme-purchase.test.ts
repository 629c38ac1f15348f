// The README's "Try a purchase offline", run as written (`npx omnicore` is this checkout's built CLI):
// the shop switched on, a purchase in `omnicore chat` with the output the README shows, the
// entitlement still there after a restart on the same DATA_DIR, the payment on the panel's
// Payments page, and the README's products configuration accepted as written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, startOmnicore } from '../support/processes.js';
import { readmeBlocks, runReadmeLine, shownOutput } from '../support/readme.js';

const [tryIt, shown, configure] = readmeBlocks('## Payments') as [string, string, string];
const run = (line: string, dataDir: string) => runReadmeLine(line, dataDir);
/** The output the README shows, with its dates as any date. */
const asPattern = (text: string) =>
  shownOutput(text, [{ find: /[A-Z][a-z]{2} \d{1,2}, \d{4}/, as: '[A-Z][a-z]{2} \\d{1,2}, \\d{4}' }]);

describe('the README purchase, offline', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-purchase-'));

  beforeAll(() => {
    assertBuilt();
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('shows the commands and their output', () => {
    expect(tryIt.trim().split('\n')).toEqual([
      'npx omnicore plugins enable shop',
      "printf '/shop\\n[Premium · 50 ⭐]\\n[Pay]\\n/me\\n' | npx omnicore chat",
    ]);
    expect(configure).toMatch(/^npx omnicore plugins config shop 'products=/);
  });

  it('buys Premium in omnicore chat, printing what the README shows', () => {
    const [enable, chat] = tryIt.trim().split('\n') as [string, string];
    expect(run(enable, dataDir).trim()).toBe('shop enabled');
    expect(run(chat, dataDir).trim()).toMatch(asPattern(shown));
  });

  it('still holds Premium after a restart on the same DATA_DIR', () => {
    const after = run("printf '/me\\n' | npx omnicore chat", dataDir);
    expect(after).toMatch(/Premium — until [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(after.match(/· Premium · 50 ⭐/g)).toHaveLength(1);
  });

  it('shows the payment on the Payments page of the admin panel', async () => {
    const server = await startOmnicore({
      DATA_DIR: dataDir,
      ADMIN_USERNAME: 'ops',
      ADMIN_PASSWORD: 'a long passphrase',
    });
    try {
      const login = await fetch(`${server.url}/admin/login`);
      const loginCookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
      const token = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
      const signedIn = await fetch(`${server.url}/admin/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'ops', password: 'a long passphrase', _csrf: token, next: '/admin' }),
      });
      const cookie = /omnicore_session=[^;]+/.exec(String(signedIn.headers.get('set-cookie')))?.[0] ?? '';
      const page = await fetch(`${server.url}/admin/payments`, { headers: { cookie } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('shop/premium');
      expect(html).toMatch(/50 XTR/);
    } finally {
      server.killTree();
      await server.finished;
    }
  });

  it('takes the products configuration as the README writes it', () => {
    expect(run(configure.trim(), dataDir)).toMatch(/products/);
    const shown = run('npx omnicore plugins config shop', dataDir);
    expect(shown).toContain('"USD":499');
    expect(shown).toContain('Write to @your_support');
  });
});
