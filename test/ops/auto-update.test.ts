// Updates on a schedule (`update.schedule`, off by default): while the source has nothing new the
// server only says so; once it has a release, the run starts the updater (a stand-in process here,
// so that this checkout never moves), audited with the actor "schedule"; an empty pattern stops it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { remoteWithRelease } from '../support/update-remote.js';

const EVERY_SECOND = '* * * * * *';
/** The stand-in updater: exits at once. */
const STANDIN = { file: process.execPath, args: ['-e', ''] };

describe('scheduled updates', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  const source = remoteWithRelease('release');

  const scheduledStarts = async () =>
    (
      await platform.database.db.selectFrom('audit_log').select('actor').where('action', '=', 'update.apply').execute()
    ).filter((row) => row.actor === 'schedule').length;
  const logged = (message: string) => platform.logs.some((line) => line.includes(message));

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(
      database,
      { UPDATE_REMOTE: source.remote, UPDATE_BRANCH: 'release' },
      { updateCommand: STANDIN },
    );
    await platform.ready;
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
    source.dispose();
  });

  it('does nothing while the setting is empty, its default', async () => {
    expect(platform.settings.get('update.schedule')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await scheduledStarts()).toBe(0);
  });

  it('starts the updater when the source has a release, and stops when the pattern is emptied', async () => {
    await platform.settings.set('update.schedule', EVERY_SECOND);
    await vi.waitFor(async () => expect(await scheduledStarts()).toBeGreaterThan(0), { timeout: 10_000 });
    expect(logged('scheduled update started')).toBe(true);
    await platform.settings.set('update.schedule', '');
    const after = await scheduledStarts();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await scheduledStarts()).toBe(after);
  });
});
