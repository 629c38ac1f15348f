// The observer inside a running platform: it samples from the start, its gauges and the count of
// outgoing 429s are on /metrics, and a 429 the Bot API answers is counted even though auto-retry
// hides it from the handler.
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { scrapeMetrics } from '../support/metrics-text.js';
import { useWebhookPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

describe('observer in the platform', () => {
  const fixture = useWebhookPlatform('sqlite');

  it('counts outgoing 429s and exports the observed gauges on /metrics', async () => {
    const { platform, fake } = fixture;
    fake.fail('sendMessage', { status: 429, retryAfter: 1 });
    expect((await platform.postUpdate(textUpdate('/start', { chatId: 77 }))).status).toBe(200);
    await fake.waitFor(() => fake.sentTexts(77).length === 1);
    await platform.idle();

    const exposition = await scrapeMetrics(platform.url);
    expect(exposition).toMatch(/^omnicore_bot_api_rate_limited_total\{method="sendMessage"\} 1$/m);
    expect(platform.observer.latest().length).toBeGreaterThan(0);
    expect(exposition).toMatch(/^omnicore_disk_free_bytes \d+/m);
    expect(exposition).toMatch(/^omnicore_memory_rss_bytes \d+/m);

    const sample = await platform.observer.sample();
    expect(sample.values['telegram.rate_limited_per_minute']).toBeGreaterThan(0);
    // The user who sent /start counts as active once the activity recorder has flushed (every second).
    await vi.waitFor(async () => expect((await platform.observer.sample()).values['users.active']).toBe(1), {
      timeout: 5000,
      interval: 250,
    });
  });

  describe('on PostgreSQL with a DATA_DIR that does not exist yet', () => {
    const postgres = useWebhookPlatform('postgres', { DATA_DIR: path.join(tmpdir(), `omnicore-absent-${Date.now()}`) });

    it('creates DATA_DIR and samples its disk without failing', async () => {
      const { platform } = postgres;
      expect(existsSync(platform.config.DATA_DIR)).toBe(true);
      const sample = await platform.observer.sample();
      expect(sample.values['disk.free_bytes']).toBeGreaterThan(0);
      expect(platform.logs.join('')).not.toMatch(/observer sample failed/);
      rmSync(platform.config.DATA_DIR, { recursive: true, force: true });
    });
  });
});
