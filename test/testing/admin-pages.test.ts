// A plugin author tests their admin pages through `omnicore/testing`: `bed.admin()` is an admin
// signed in through the panel's own form, whose requests carry the session and its CSRF token.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerPlugin } from '../support/ledger-plugin.js';

describe("the test bed's admin", () => {
  // Inside the repository, where `omnicore/plugin` resolves as it does for an installed package.
  const pluginsDir = fileURLToPath(new URL(`../../test-results/bed-admin-${process.pid}/`, import.meta.url));
  let bed: PluginTestBed;

  beforeAll(async () => {
    writeLedgerPlugin(pluginsDir);
    bed = await createPluginTestBed({ pluginsDir, enable: { ledger: true } });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it("calls a plugin's admin routes and reads its pages as a signed-in admin", async () => {
    const admin = await bed.admin();
    const added = await admin.send('POST', '/api/admin/plugins/ledger/entries', { text: 'rent', amount: 12 });
    expect(added.json()).toEqual({ ok: true, count: 1 });
    expect((await admin.send('POST', '/api/admin/plugins/ledger/entries', { text: '', amount: 0 })).status).toBe(400);
    expect((await admin.get('/api/admin/plugins/ledger/entries')).json()).toEqual({
      entries: [{ text: 'rent', amount: 12 }],
      askedBy: admin.username,
    });
    const page = await admin.get('/admin/plugins/ledger/entries');
    expect(page.status).toBe(200);
    expect(page.body).toContain('rent');
    // A second sign-in works too (the same account, a new password): tests may ask more than once.
    expect((await (await bed.admin()).get('/admin/plugins/ledger/entries')).status).toBe(200);
  });
});
