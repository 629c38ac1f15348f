// `update check`: the current and available versions and the changelog between them, from the
// remote branch of a local bare repository, or from the latest release of a (fake) GitHub.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitCheckout } from '../../src/ops/update/git-checkout.js';
import { checkForUpdate } from '../../src/ops/update/update-check.js';
import { type FakeGithub, startFakeGithub } from '../support/fake-github.js';
import { createStandin, headOf, type Standin } from '../support/update-standin.js';

describe('update check', () => {
  let standin: Standin;
  let github: FakeGithub;

  beforeEach(async () => {
    standin = createStandin();
    github = await startFakeGithub();
  });
  afterEach(() => github.close());

  it('shows the current and available versions and the commits between them, newest first', async () => {
    standin.publish({ version: '1.1.0' });
    const target = standin.publish({ version: '1.2.0' });
    const check = await checkForUpdate(new GitCheckout(standin.install), { remote: 'origin', branch: 'main' });
    expect(check.current).toEqual({ commit: headOf(standin.install), version: '1.0.0' });
    expect(check.available).toEqual({ commit: target, version: '1.2.0', ref: 'origin/main' });
    expect(check.upToDate).toBe(false);
    expect(check.changelog).toHaveLength(2);
    expect(check.changelog[0]).toMatch(/^[0-9a-f]{7,} release 1\.2\.0$/);
    expect(check.changelog[1]).toMatch(/release 1\.1\.0$/);
    // A check moves nothing.
    expect(headOf(standin.install)).toBe(check.current.commit);
  });

  it('follows a remote given as a path (UPDATE_REMOTE need not be a named remote), or says it cannot', async () => {
    const target = standin.publish({ version: '1.1.0' });
    const check = await checkForUpdate(new GitCheckout(standin.install), { remote: standin.remote, branch: 'main' });
    expect(check.available).toMatchObject({ commit: target, version: '1.1.0' });
    expect(check.upToDate).toBe(false);
    await expect(
      checkForUpdate(new GitCheckout(standin.install), { remote: 'nowhere', branch: 'main' }),
    ).rejects.toMatchObject({ code: 'UPDATE_SOURCE_FAILED', message: expect.stringContaining('"nowhere"') });
  });

  it('says up to date when the branch has nothing new', async () => {
    const check = await checkForUpdate(new GitCheckout(standin.install), { remote: 'origin', branch: 'main' });
    expect(check).toMatchObject({ upToDate: true, changelog: [] });
  });

  it('targets the latest GitHub release tag rather than the branch, sending the token', async () => {
    const released = standin.publish({ version: '1.1.0' }, 'v1.1.0');
    standin.publish({ version: '1.2.0-dev' });
    github.latest.set('acme/bot', { tag_name: 'v1.1.0', name: 'One point one' });
    const check = await checkForUpdate(new GitCheckout(standin.install), {
      remote: 'origin',
      branch: 'main',
      github: { repository: 'acme/bot', apiRoot: github.url, token: 'ghp_test' },
    });
    expect(check.available).toEqual({ commit: released, version: '1.1.0', ref: 'v1.1.0' });
    expect(check.changelog).toHaveLength(1);
    expect(github.requests[0]?.headers.authorization).toBe('Bearer ghp_test');
    expect(github.requests[0]?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it('reports a repository without releases as UPDATE_SOURCE_FAILED', async () => {
    await expect(
      checkForUpdate(new GitCheckout(standin.install), {
        remote: 'origin',
        branch: 'main',
        github: { repository: 'acme/none', apiRoot: github.url },
      }),
    ).rejects.toMatchObject({ code: 'UPDATE_SOURCE_FAILED', message: expect.stringContaining('404') });
  });
});
