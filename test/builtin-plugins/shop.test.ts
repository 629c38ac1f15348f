// The built-in shop as an operator gets it, on both databases: switched on with its default
// configuration it sells its demo product for Stars through the emulator; the payment grants the
// entitlement, the user is thanked with its end, /me (and /subscription) show it with the purchase,
// and a second payment extends it by the product's days.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const DAY_MS = 86_400_000;
const day = (epochMs: number, language = 'en') =>
  new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(epochMs);

describe.each(DATABASE_KINDS)('the shop, switched on as shipped (%s)', (kind) => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let database: TestDatabase;
  let bed: PluginTestBed;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: database.url ? { DATABASE_URL: database.url } : {},
      enable: { shop: true },
    });
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  /** When the user's `premium` ends, as the ledger has it. */
  async function premiumEnds(userId: number): Promise<number> {
    const row = await bed.platform.database.db
      .selectFrom('entitlements')
      .select((eb) => eb.fn.max('ends_at').as('ends'))
      .where('user_id', '=', userId)
      .where('key', '=', 'premium')
      .executeTakeFirstOrThrow();
    return Number(row.ends);
  }

  async function buyPremium(): Promise<Message> {
    bed.push('/shop');
    const list = await bed.pop();
    expect(await bed.press(list, 'Premium · 50 ⭐')).toEqual({});
    return bed.pop();
  }

  it('lists its demo product with a Stars button and the way to its terms', async () => {
    bed.push('/shop');
    const list = await bed.pop();
    expect(list.text).toBe(
      [
        'What you can buy:',
        'Premium — 50 ⭐ (for 30 days)\nUnlocks the premium features of this bot',
        'Before you pay: /terms. Questions about a payment: /paysupport. What you have: /me.',
      ].join('\n\n'),
    );
    expect(list.reply_markup?.inline_keyboard).toEqual([
      [{ text: 'Premium · 50 ⭐', callback_data: 'shop:premium:XTR:i' }],
    ]);
  });

  it('sells it for Stars: the user is thanked with the end of what they bought, and /me shows it', async () => {
    bed.push('/me');
    expect(await bed.popText()).toBe('You have nothing from the shop yet. /shop shows what you can buy.');

    const invoice = await buyPremium();
    expect(invoice.invoice).toMatchObject({ title: 'Premium', currency: 'XTR', total_amount: 50 });
    const paid = await bed.pay(invoice);
    expect(paid.ok).toBe(true);
    const thanks = await bed.popText();
    const ends = await premiumEnds(bed.user.id);
    expect(ends - Date.now()).toBeGreaterThan(29 * DAY_MS);
    expect(thanks).toBe(`Thank you! Premium is yours until ${day(ends)}.`);

    const account = `What you have:\nPremium — until ${day(ends)}\n\nYour purchases:\n${day(Date.now())} · Premium · 50 ⭐`;
    bed.push('/me');
    expect(await bed.popText()).toBe(account);
    bed.push('/subscription');
    expect(await bed.popText()).toBe(account);
  });

  it('extends what the user holds by another 30 days when they buy it again', async () => {
    const before = await premiumEnds(bed.user.id);
    expect((await bed.pay(await buyPremium())).ok).toBe(true);
    const thanks = await bed.popText();
    const after = await premiumEnds(bed.user.id);
    expect(after - before).toBe(30 * DAY_MS);
    expect(thanks).toBe(`Thank you! Premium is yours until ${day(after)}.`);
    bed.push('/me');
    expect(await bed.popText()).toMatch(new RegExp(`^What you have:\nPremium — until ${day(after)}\n`));
  });

  it('lists its commands in /help while it is on', async () => {
    bed.push('/help');
    const help = await bed.popText();
    for (const command of ['/shop', '/me', '/subscription', '/paysupport', '/terms']) expect(help).toContain(command);
  });
});
