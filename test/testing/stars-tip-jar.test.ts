// The tip-jar example plugin, tested as a plugin author tests theirs: this file is the testing
// example in docs/PLUGINS.md. A user asks for an invoice in Stars, pays it, and is thanked.
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
});

it('declines a tip paid by someone other than whom it was made for', async () => {
  bed.push('/tip');
  const invoice = await bed.pop();
  const payment = await bed.pay(invoice, { user: { id: 2002, first_name: 'Eve' } });
  expect(payment).toEqual({ ok: false, reason: 'declined', errorMessage: 'This tip is for someone else to leave.' });
});
