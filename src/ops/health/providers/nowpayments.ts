// NOWPayments answers: GET {NOWPAYMENTS_API_ROOT}/v1/status. Their status endpoint takes no key, so
// this says the API is up; a refused key shows as failed checkouts (PAYMENT_PROVIDER_FAILED).
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const nowpayments: HealthProvider = {
  name: 'nowpayments',
  critical: false,
  configured: (config) => config.NOWPAYMENTS_API_KEY !== undefined,
  create: (config) => (signal) =>
    probe(`${config.NOWPAYMENTS_API_ROOT ?? 'https://api.nowpayments.io'}/v1/status`, {}, signal),
};
