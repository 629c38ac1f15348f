// The platform stops from one list, in the reverse order of starting, and one part failing to stop
// never keeps the others (the database last of all) from stopping.
import { describe, expect, it } from 'vitest';
import { createTeardown } from '../../src/lib/teardown.js';

describe('teardown', () => {
  it('stops the newest part first, each once, however often it is asked', async () => {
    const stopped: string[] = [];
    const teardown = createTeardown(() => {});
    for (const part of ['database', 'plugins', 'web server']) teardown.add(part, () => stopped.push(part));
    await Promise.all([teardown.run(), teardown.run()]);
    await teardown.run();
    expect(stopped).toEqual(['web server', 'plugins', 'database']);
  });

  it('waits for each step before the next, and goes on past one that fails, saying which', async () => {
    const stopped: string[] = [];
    const failures: string[] = [];
    const teardown = createTeardown((step, error) => failures.push(`${step}: ${(error as Error).message}`));
    teardown.add('database', () => stopped.push('database'));
    teardown.add('plugins', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stopped.push('plugins');
    });
    teardown.add('web server', () => {
      throw new Error('still listening');
    });
    await teardown.run();
    expect(stopped).toEqual(['plugins', 'database']);
    expect(failures).toEqual(['web server: still listening']);
  });
});
