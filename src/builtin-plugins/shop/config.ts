// The shop's configuration: the products it sells (the platform's product shape) and the texts of
// /paysupport and /terms. Validated by the platform, so a bad product is refused with its field
// before anything is put on sale.
import { z } from 'zod';
import { productSchema } from '../../plugins/api.js';

/** What a new installation offers once the shop is switched on: something to buy right away. */
export const DEMO_PRODUCT: z.output<typeof productSchema> = {
  id: 'premium',
  title: 'Premium',
  description: 'Unlocks the premium features of this bot',
  prices: { XTR: 50 },
  kind: 'one-off',
  grants: { key: 'premium', days: 30 },
};

const userText = z.string().trim().min(1).max(4000);

export const shopConfig = z.object({
  products: z
    .array(productSchema)
    .max(50)
    .default([DEMO_PRODUCT])
    .superRefine((products, check) => {
      const seen = new Set<string>();
      products.forEach((product, index) => {
        if (seen.has(product.id))
          check.addIssue({ code: 'custom', path: [index, 'id'], message: `${product.id} is declared twice` });
        seen.add(product.id);
      });
    })
    .describe(
      'What /shop sells: [{ "id", "title", "description", "prices": { "XTR": 50, "USD": 499 } (minor units), ' +
        '"kind": "one-off" | "subscription", "grants": { "key", "days" } }]',
    ),
  supportText: userText.optional().describe('What /paysupport answers (default: a text in the user’s language)'),
  termsText: userText.optional().describe('What /terms answers (default: a text in the user’s language)'),
});

export type ShopConfig = z.output<typeof shopConfig>;
export type ShopProduct = ShopConfig['products'][number];
