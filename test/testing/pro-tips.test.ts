// The pro-tips example plugin, tested as a plugin author tests a paid feature: this file is the
// selling example in docs/PLUGINS.md. The gated command refuses until a pass is paid, works after,
// a second pass extends the first, and an invoice made before the price changed is refused.
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let bed: PluginTestBed;

beforeAll(async () => {
  bed = await createPluginTestBed({
    pluginsDir: fileURLToPath(new URL('../../examples/plugins/', import.meta.url)),
    enable: { 'pro-tips': { stars: 25 } },
  });
});

afterAll(async () => {
  await bed?.close();
});

/** Buys a pass: the invoice, the payment, and the day the pass ends, from the thanks. */
async function buyPass(): Promise<number> {
  bed.push('/buytips');
  const invoice = await bed.pop();
  expect(invoice.invoice).toMatchObject({ title: 'Pro tips pass', currency: 'XTR', total_amount: 25 });
  expect((await bed.pay(invoice)).ok).toBe(true);
  const thanks = await bed.popText();
  const until = /^Thank you! Your pass runs until (\d{4}-\d{2}-\d{2})\. Try \/protip\.$/.exec(thanks)?.[1];
  return Date.parse(until ?? 'not in the thanks');
}

it('keeps /protip for pass holders, and a second pass adds 30 days to the first', async () => {
  bed.push('/protip');
  expect(await bed.popText()).toBe('That needs pro-tips. See /shop.');

  const first = await buyPass();
  bed.push('/protip');
  expect(await bed.popText()).toBe('Name things for what they do.');

  const second = await buyPass();
  expect(second - first).toBe(30 * 86_400_000);

  const metrics = await (await fetch(`${bed.platform.url}/metrics`)).text();
  expect(metrics).toMatch(/^omnicore_plugin_pro_tips_passes_sold_total\{instance_id="[^"]+"\} 2$/m);
});

it('declines an invoice made before the price changed', async () => {
  bed.push('/buytips');
  const invoice = await bed.pop();
  await bed.platform.plugins.configure('pro-tips', { stars: 30 });
  expect(await bed.pay(invoice)).toEqual({
    ok: false,
    reason: 'declined',
    errorMessage: 'The price has changed since this invoice was made; please ask for a new one.',
  });
});
