// BTCPay Server's environment: configured with its URL, API key and store together (the webhook
// secret optional), a config error naming what is missing when only some are set, and its key and
// webhook secret among the values redacted from logs.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig, secretValues } from '../../src/config/env.js';

const FULL = {
  BTCPAY_URL: 'https://pay.example.test/',
  BTCPAY_API_KEY: 'btcpay_key_0123456789',
  BTCPAY_STORE_ID: 'Store0123',
  BTCPAY_WEBHOOK_SECRET: 'btcpay_whsec_0123456789',
};

describe('BTCPay environment', () => {
  it('takes the four variables, the URL without its trailing slash', () => {
    const config = loadConfig(FULL);
    expect(config).toMatchObject({ ...FULL, BTCPAY_URL: 'https://pay.example.test' });
    expect(secretValues(config)).toEqual(expect.arrayContaining([FULL.BTCPAY_API_KEY, FULL.BTCPAY_WEBHOOK_SECRET]));
  });

  it.each([
    ['BTCPAY_URL', { BTCPAY_API_KEY: FULL.BTCPAY_API_KEY, BTCPAY_STORE_ID: FULL.BTCPAY_STORE_ID }],
    ['BTCPAY_API_KEY', { BTCPAY_URL: FULL.BTCPAY_URL }],
    ['BTCPAY_STORE_ID', { BTCPAY_URL: FULL.BTCPAY_URL, BTCPAY_API_KEY: FULL.BTCPAY_API_KEY }],
    ['BTCPAY_URL', { BTCPAY_WEBHOOK_SECRET: FULL.BTCPAY_WEBHOOK_SECRET }],
  ])('names %s when only some are set', (missing, env) => {
    const error = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(missing);
    expect((error as ConfigError).message).not.toContain(FULL.BTCPAY_API_KEY);
  });

  it('leaves BTCPay out when none is set', () => {
    expect(loadConfig({}).BTCPAY_URL).toBeUndefined();
  });
});
