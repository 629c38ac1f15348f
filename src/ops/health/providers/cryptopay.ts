// Crypto Pay accepts the app's token: GET {CRYPTOPAY_API_ROOT}/api/getMe.
import { CRYPTOPAY_API_ROOT } from '../../../payments/providers/cryptopay.js';
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const cryptopay: HealthProvider = {
  name: 'cryptopay',
  critical: false,
  configured: (config) => config.CRYPTOPAY_TOKEN !== undefined,
  create: (config) => (signal) =>
    probe(
      `${(config.CRYPTOPAY_API_ROOT ?? CRYPTOPAY_API_ROOT).replace(/\/+$/, '')}/api/getMe`,
      { 'crypto-pay-api-token': config.CRYPTOPAY_TOKEN ?? '' },
      signal,
    ),
};
