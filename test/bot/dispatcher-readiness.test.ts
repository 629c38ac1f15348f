// /readyz tells when update handling cannot keep up: with every slot taken by a handler that never
// settles and others waiting, it answers 503 naming the stall, and ready again once the deadline
// frees the slots.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeHostilePlugins } from '../support/hostile-plugins.js';
import { useWebhookPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

// Inside the repository, where a plugin's `import 'omnicore/plugin'` resolves to this package.
const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/readiness-plugins-${process.pid}/`, import.meta.url));
writeHostilePlugins(PLUGINS_DIR);

describe('dispatcher readiness', () => {
  const fixture = useWebhookPlatform('sqlite', { PLUGINS_DIR }, { concurrency: 2 });
  afterAll(() => rmSync(PLUGINS_DIR, { recursive: true, force: true }));

  const readiness = async () => {
    const response = await fetch(`${fixture.platform.url}/readyz`);
    return { status: response.status, body: (await response.json()) as { checks: Record<string, { error?: string }> } };
  };

  it('answers 503 while handlers that never settle hold every slot, and 200 once the deadline frees them', async () => {
    const { platform, fake } = fixture;
    await platform.settings.set('inbox.deadlineSeconds', 4);
    await platform.plugins.setEnabled('hang', true);
    expect((await readiness()).status).toBe(200);
    for (const chatId of [1, 2, 3]) await platform.postUpdate(textUpdate('/hang', { chatId }));

    await vi.waitFor(
      async () => {
        const { status, body } = await readiness();
        expect(status).toBe(503);
        expect(body.checks.dispatcher?.error).toMatch(/backlog not moving: 1 waiting|saturated/);
      },
      { timeout: 4000, interval: 200 },
    );
    await vi.waitFor(async () => expect((await readiness()).status).toBe(200), { timeout: 12_000, interval: 250 });
    await platform.postUpdate(textUpdate('/help', { chatId: 4 }));
    await fake.waitFor(() => fake.sentTexts(4).length === 1);
  });
});
