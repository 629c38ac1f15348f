// What the shop says and what it refuses to be told: /paysupport and /terms (defaults in the user's
// language, or the operator's texts), a purchase in German from /shop to /me, and a products
// configuration the platform refuses with the field that is wrong, the running one kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WEEK = {
  id: 'week',
  title: 'Wochenpass',
  description: 'Alles für eine Woche',
  prices: { XTR: 1500 },
  grants: { key: 'pass', days: 7 },
};

describe('the shop’s words and its configuration', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({ pluginsDir, enable: { shop: { products: [WEEK] } } });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  const ask = async (text: string, from: Partial<User> = bed.user): Promise<string> => {
    bed.push(text, from);
    return bed.popText({ userId: from.id as number });
  };

  it('answers /paysupport and /terms with its defaults in the user’s language, then with the operator’s texts', async () => {
    expect(await ask('/paysupport')).toMatch(/^If something went wrong with a payment, write to the owner of this bot/);
    expect(await ask('/terms')).toMatch(/^By paying you buy access to the digital features of this bot/);
    const ivan = { id: 3001, first_name: 'Иван', language_code: 'ru' };
    expect(await ask('/paysupport', ivan)).toMatch(/^Если с оплатой что-то пошло не так/);

    await bed.platform.plugins.configure('shop', {
      products: [WEEK],
      supportText: 'Write to @omni_help.',
      termsText: 'No refunds after 14 days.',
    });
    expect(await ask('/paysupport')).toBe('Write to @omni_help.');
    expect(await ask('/terms', ivan)).toBe('No refunds after 14 days.');
  });

  it('sells in German, from /shop to the thanks and /me, with German plurals, numbers and dates', async () => {
    const greta = { id: 3002, is_bot: false, first_name: 'Greta', language_code: 'de' } satisfies User;
    bed.push('/shop', greta);
    const list = await bed.pop({ userId: greta.id });
    expect(list.text).toBe(
      [
        'Das gibt es zu kaufen:',
        'Wochenpass — 1.500 ⭐ (für 7 Tage)\nAlles für eine Woche',
        'Vor dem Bezahlen: /terms. Fragen zu einer Zahlung: /paysupport. Was du hast: /me.',
      ].join('\n\n'),
    );
    await bed.press(list, 'Wochenpass · 1.500 ⭐', { user: greta });
    const paid = await bed.pay(await bed.pop({ userId: greta.id }), { user: greta });
    expect(paid.ok).toBe(true);
    expect(await bed.popText({ userId: greta.id })).toMatch(/^Danke! Wochenpass gehört dir bis \d{2}\.\d{2}\.\d{4}\.$/);
    expect(await ask('/me', greta)).toMatch(
      /^Das hast du:\nWochenpass — bis \d{2}\.\d{2}\.\d{4}\n\nDeine Käufe:\n\d{2}\.\d{2}\.\d{4} · Wochenpass · 1\.500 ⭐$/,
    );
  });

  it('refuses products the platform would not sell, naming the field, and keeps selling the last good ones', async () => {
    const refusals: [unknown[], RegExp][] = [
      [[{ ...WEEK, prices: { usd: 500 } }], /: shop: products\.0\.prices\.usd: /],
      [[{ ...WEEK, prices: {} }], /: shop: products\.0\.prices: at least one price$/],
      [
        [{ ...WEEK, kind: 'subscription', grants: { key: 'pass' } }],
        /: shop: products\.0\.grants\.days: a subscription/,
      ],
      [[WEEK, { ...WEEK, title: 'Again' }], /: shop: products\.1\.id: week is declared twice$/],
      [[{ ...WEEK, id: 'Week Pass' }], /: shop: products\.0\.id: lower-case letters/],
    ];
    for (const [products, message] of refusals) {
      await expect(bed.platform.plugins.configure('shop', { products })).rejects.toMatchObject({
        code: 'PLUGIN_INVALID_CONFIG',
        message: expect.stringMatching(message),
      });
    }
    expect(await ask('/shop')).toContain('Wochenpass — 1,500 ⭐ (for 7 days)');
  });
});
