// The README's "Publishing to Mastodon and DEV.to", run as written (`npx omnicore` is this checkout's
// built CLI) against a fake Mastodon instance standing in for https://mastodon.example: the plugin
// switched on, a /post in `omnicore chat` printing what the README shows (its ids being random), the
// post still in /queue after a restart on the same DATA_DIR, and the mirroring rule taken by
// `omnicore plugins config`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_MASTODON_TOKEN, FakeMastodon } from '../../support/fake-mastodon.js';
import { assertBuilt } from '../../support/processes.js';
import { readmeBlocks, runReadmeLineAsync, shownOutput } from '../../support/readme.js';

const [tryIt, shown, queueLine, mirrorLine] = readmeBlocks('## Publishing to Mastodon and DEV.to') as [
  string,
  string,
  string,
  string,
];

describe('the README publishing example, against a fake instance', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-publishing-'));
  const dataDir = path.join(work, 'data');
  const mastodon = new FakeMastodon();
  /** A README line with the fake instance in place of mastodon.example and its token. */
  const atFake = (text: string) =>
    text
      .replaceAll('https://mastodon.example', mastodon.url)
      .replaceAll('mastodon.example', new URL(mastodon.url).host)
      .replaceAll('your-token', FAKE_MASTODON_TOKEN);
  const run = async (line: string) => (await runReadmeLineAsync(atFake(line), dataDir, work)).trim();

  beforeAll(async () => {
    assertBuilt();
    await mastodon.start();
  });
  afterAll(async () => {
    await mastodon.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('posts from omnicore chat and prints what the README shows', async () => {
    const [enable, chat] = tryIt.trim().split('\n') as [string, string];
    expect(await run(enable)).toBe('content enabled\npublishing enabled');
    const output = await run(chat);
    const pattern = shownOutput(atFake(shown), [
      { find: /\b8m2kq0x7c1zd\b/, as: '[a-z0-9]{12}' },
      { find: /\b113520000000000001\b/, as: '\\d{18}' },
    ]);
    expect(output).toMatch(pattern);
    const [status] = [...mastodon.statuses.values()];
    expect(status?.text).toBe('Hello, fediverse: our bot posts here now');
    expect(output).toContain(`/@omni/${status?.id}`);
  });

  it('still lists the post in /queue after a restart on the same DATA_DIR', async () => {
    const output = await run(queueLine.trim());
    expect(output).toMatch(/^bot › The publishing queue:\n[a-z0-9]{12} · done · env-mastodon · Hello, fediverse/);
    expect(mastodon.statuses.size).toBe(1);
  });

  it('takes the mirroring rule as written', async () => {
    await run(mirrorLine.trim());
    const config = await run('npx omnicore plugins config publishing');
    expect(config).toContain(
      'mirrors = [{"channel":-1001234567890,"accounts":["env-mastodon"],"skipReplies":true,"hashtag":"#fediverse","keepLinks":true,"visibility":"public","mirrorEdits":true}]',
    );
  });
});
