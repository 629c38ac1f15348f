// BTCPay Server's health check: configured with the provider, it reads the store's invoices with
// the API key against a fake BTCPay, and a refused key fails with the status and without the key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { configuredChecks } from '../../src/ops/health/registry.js';
import { btcpayEnv } from '../support/btcpay-platform.js';
import { BTCPAY_API_KEY, FakeBtcpay } from '../support/fake-btcpay.js';

const noDependencies = {
  pingDatabase: async () => {},
  getMe: async () => ({}),
  dispatcherStall: () => undefined,
};

describe('BTCPay health check', () => {
  const btcpay = new FakeBtcpay();
  beforeAll(() => btcpay.start());
  afterAll(() => btcpay.stop());

  const check = (env: Record<string, string>) => {
    const found = configuredChecks(loadConfig(env), noDependencies).find((each) => each.name === 'btcpay');
    if (!found) throw new Error('no btcpay check');
    return found;
  };

  it('reads the store with the API key, and is not critical', async () => {
    const btcpayCheck = check(btcpayEnv(btcpay));
    expect(btcpayCheck.critical).toBe(false);
    await btcpayCheck.run(new AbortController().signal);
    const [seen] = btcpay.requestsTo('GET', '/invoices').slice(-1);
    expect(seen).toMatchObject({ authorization: `token ${BTCPAY_API_KEY}` });
  });

  it('fails a refused key with the status and without the key', async () => {
    const refused = check({ ...btcpayEnv(btcpay), BTCPAY_API_KEY: 'revoked_key_0000000' });
    const failed = await refused.run(new AbortController().signal).catch((error: Error) => error);
    expect((failed as Error).message).toMatch(/HTTP 401 \(credentials refused\)/);
    expect((failed as Error).message).not.toContain('revoked_key_0000000');
  });

  it('is absent without BTCPay', () => {
    expect(configuredChecks(loadConfig({}), noDependencies).map((each) => each.name)).not.toContain('btcpay');
  });
});
