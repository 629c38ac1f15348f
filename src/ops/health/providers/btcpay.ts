// BTCPay Server is up and the API key still reads the store's invoices:
// GET {BTCPAY_URL}/api/v1/stores/{BTCPAY_STORE_ID}/invoices?take=1 (the permission checkouts need).
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

export const btcpay: HealthProvider = {
  name: 'btcpay',
  critical: false,
  configured: (config) =>
    config.BTCPAY_URL !== undefined && config.BTCPAY_API_KEY !== undefined && config.BTCPAY_STORE_ID !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.BTCPAY_URL}/api/v1/stores/${encodeURIComponent(config.BTCPAY_STORE_ID ?? '')}/invoices?take=1`,
      { authorization: `token ${config.BTCPAY_API_KEY}` },
      signal,
    ),
};
