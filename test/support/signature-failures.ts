// What the payment webhooks' signature failures became, as a test sees it: failures are summarised
// per address and provider per window (200 ms in tests), so one burst may span two windows on a slow
// machine. These helpers wait for the summaries to count every failure, whatever the split.
import { expect } from 'vitest';
import type { Platform } from '../../src/main.js';

interface FailureSummary {
  ip: string | null;
  provider: string;
  count: number;
}

async function summaries(platform: Platform): Promise<FailureSummary[]> {
  const events = await platform.security.events.list({ type: 'signature_failure' });
  return events.map((event) => ({ ip: event.ip ?? null, ...(event.detail as { provider: string; count: number }) }));
}

/**
 * Waits until the signature_failure events count `failures` in all, then returns who sent them
 * ("ip provider", once each) and how many events the burst became.
 */
export async function signatureFailureSummaries(
  platform: Platform,
  failures: number,
): Promise<{ senders: Set<string>; events: number }> {
  await expect
    .poll(async () => (await summaries(platform)).reduce((sum, summary) => sum + summary.count, 0), { timeout: 5000 })
    .toBe(failures);
  const found = await summaries(platform);
  return { senders: new Set(found.map((summary) => `${summary.ip} ${summary.provider}`)), events: found.length };
}
