// The plugin API's types, as a TypeScript plugin author meets them: `t` accepts the keys of
// `strings.en` only, another language cannot add keys English lacks, and a service is typed by
// what the provider exports. Checked by tsc (npm run lint); the run-time side is in
// plugin-strings.test.ts and plugin-services.test.ts.
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, type PluginBotContext } from '../../src/plugins/api.js';

interface Wallet {
  balance(userId: number): Promise<number>;
}

describe('plugin API types', () => {
  it('infers the string keys from strings.en and the config from the schema', () => {
    definePlugin({
      name: 'typed',
      version: '1.0.0',
      description: 'd',
      platform: '*',
      configSchema: z.object({ limit: z.number().default(3) }),
      strings: {
        en: { saved: 'Saved.', items: { one: '{count} item', other: '{count} items' } },
        de: { saved: 'Gespeichert.' },
      },
      setup(ctx) {
        expectTypeOf(ctx.config.limit).toEqualTypeOf<number>();
        ctx.command('save', 'Saves', (c) => {
          expectTypeOf(c).toEqualTypeOf<PluginBotContext<'saved' | 'items'>>();
          c.t('items', { count: 2 });
          // @ts-expect-error: not a key of strings.en
          c.t('unsaved');
          return c.reply(c.t('saved'));
        });
        expectTypeOf(ctx.use<Wallet>('points/wallet').balance).returns.toEqualTypeOf<Promise<number>>();
        ctx.provide<Wallet>('wallet', { balance: async () => 1 });
        // @ts-expect-error: not a Wallet
        ctx.provide<Wallet>('wallet', { balance: () => 'none' });
      },
    });
  });

  it('refuses a key that only another language has', () => {
    definePlugin({
      name: 'typo',
      version: '1.0.0',
      description: 'd',
      platform: '*',
      // @ts-expect-error: "gespeichert" is not in en
      strings: { en: { saved: 'Saved.' }, de: { gespeichert: 'Gespeichert.' } },
      setup() {},
    });
  });
});
