// Stripe accepts the secret key: GET {STRIPE_API_ROOT}/v1/balance.
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const stripe: HealthProvider = {
  name: 'stripe',
  critical: false,
  configured: (config) => config.STRIPE_SECRET_KEY !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.STRIPE_API_ROOT ?? 'https://api.stripe.com'}/v1/balance`,
      { authorization: `Bearer ${config.STRIPE_SECRET_KEY}` },
      signal,
    ),
};
