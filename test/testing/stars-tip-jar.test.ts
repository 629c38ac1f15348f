// The tip-jar example plugin, tested as a plugin author tests theirs: this file is the testing
// example in docs/PLUGINS.md. A user asks for an invoice in Stars, pays it, is thanked, and takes
// the tip back.
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

let bed: PluginTestBed;

beforeAll(async () => {
  bed = await createPluginTestBed({
    pluginsDir: fileURLToPath(new URL('../../examples/plugins/', import.meta.url)),
    enable: { 'tip-jar': { stars: 50 } },
  });
});

afterAll(async () => {
  await bed?.close();
});

it('sends an invoice in Stars, thanks the user once paid, and refunds on request', async () => {
  bed.push('/tip');
  const invoice = await bed.pop();
  expect(invoice.invoice).toMatchObject({ currency: 'XTR', total_amount: 50 });

  const payment = await bed.pay(invoice);
  expect(payment.ok).toBe(true);
  expect(await bed.popText()).toBe('Thank you for 50 ⭐!');

  bed.push('/untip');
  expect(await bed.popText()).toBe('50 ⭐ are back in your balance.');
  expect(payment.ok && bed.emulator.payments.refunded(payment.chargeId)).toBe(true);
  bed.push('/untip');
  expect(await bed.popText()).toBe('You have no tip to take back.');
});

it('declines an invoice whose price changed before it was paid', async () => {
  bed.push('/tip');
  const invoice = await bed.pop();
  await bed.platform.plugins.configure('tip-jar', { stars: 75 });
  const payment = await bed.pay(invoice);
  expect(payment).toEqual({
    ok: false,
    reason: 'declined',
    errorMessage: 'The price has changed since this invoice was made; please ask for a new one.',
  });
});
