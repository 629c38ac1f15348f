// A pre-checkout query is answered even while the user's chat is busy: Telegram waits 10 s for the
// answer, and a slow handler in the same chat (here one taking 11 s) must not hold it up. The
// payment itself arrives as a message in that chat and is recorded once the chat's turn comes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/pre-checkout-queue-${process.pid}/`, import.meta.url));
const SLOW_MS = 11_000;

let bed: PluginTestBed;

beforeAll(async () => {
  mkdirSync(path.join(PLUGINS_DIR, 'slow-seller'), { recursive: true });
  writeFileSync(
    path.join(PLUGINS_DIR, 'slow-seller', 'index.mjs'),
    `export default { name: 'slow-seller', version: '1.0.0', description: 'd', platform: '*',
      setup(ctx) {
        ctx.payments.products([{ id: 'pass', title: 'Pass', description: 'A pass', prices: { XTR: 20 }, grants: { key: 'pass' } }]);
        ctx.command('buy', 'Buy a pass', (c) => ctx.payments.invoice(c.chat.id, 'pass'));
        ctx.command('think', 'Thinks for a long time', async (c) => {
          await new Promise((resolve) => setTimeout(resolve, ${SLOW_MS}));
          return c.reply('done thinking');
        });
      } };`,
  );
  bed = await createPluginTestBed({ pluginsDir: PLUGINS_DIR, enable: { 'slow-seller': true } });
});

afterAll(async () => {
  await bed?.close();
  rmSync(PLUGINS_DIR, { recursive: true, force: true });
});

it('answers the pre-checkout of a user whose chat is busy with a slow handler', async () => {
  bed.push('/buy');
  const invoice = await bed.pop();
  bed.push('/think');
  const outcome = await bed.pay(invoice);
  expect(outcome.ok).toBe(true);
  expect(await bed.popText({ timeoutMs: SLOW_MS + 5000 })).toBe('done thinking');
  await bed.idle(15_000);
  expect(await bed.platform.payments.has(bed.user.id, 'pass')).toBe(true);
}, 40_000);
