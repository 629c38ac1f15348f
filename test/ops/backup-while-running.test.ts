// Backups of a running platform, on both databases: one taken while 1,000 updates arrive holds every
// update stored before it began and the server answers them all; and the server's own schedule
// (the `backup.schedule` cron setting) makes backups and prunes them by the `backup.keep*` settings.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { sleep } from '../../src/lib/sleep.js';
import { createBackup } from '../../src/ops/backup/create-backup.js';
import { restoreBackup } from '../../src/ops/backup/restore-backup.js';
import { backupConfig } from '../support/backups.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { fixedAnswer, startTestPlatform, useWebhookPlatform, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const UPDATES = 1000;
const SENDERS = 20;

describe.each(DATABASE_KINDS)('a backup of the running platform on %s', (kind) => {
  it('holds every update stored before it began while the server keeps answering', async () => {
    const database = await createTestDatabase(kind);
    const fake = await new FakeBotApi().start();
    const platform = await startTestPlatform(database, webhookEnv(fake.url), { conversation: fixedAnswer });
    let running = true;
    try {
      await platform.ready;
      const config = backupConfig(database);
      const updates = Array.from({ length: UPDATES }, (_, index) =>
        textUpdate(`hello ${index}`, { chatId: 5000 + (index % 100) }),
      );
      const acknowledged: number[] = [];
      const refused: number[] = [];
      let next = 0;
      const send = async (): Promise<void> => {
        while (next < updates.length) {
          const update = updates[next++] as (typeof updates)[number];
          const response = await platform.postUpdate(update);
          (response.status === 200 ? acknowledged : refused).push(update.update_id);
        }
      };
      const senders = Promise.all(Array.from({ length: SENDERS }, send));
      while (acknowledged.length < UPDATES / 4) await sleep(5);
      const storedBefore = [...acknowledged];
      const backup = await createBackup({ config, database: platform.database });
      await senders;
      expect(refused).toEqual([]);
      expect(acknowledged).toHaveLength(UPDATES);

      await platform.idle();
      await platform.stop();
      running = false;
      await restoreBackup(backup.id, { config });
      const handle = await openConfiguredDatabase(config);
      try {
        const rows = await handle.db.selectFrom('telegram_updates').select('update_id').execute();
        const inBackup = new Set(rows.map((row) => Number(row.update_id)));
        expect(storedBefore.filter((id) => !inBackup.has(id))).toEqual([]);
        expect(inBackup.size).toBeLessThanOrEqual(UPDATES);
      } finally {
        await handle.close();
      }
    } finally {
      if (running) await platform.stop();
      await fake.stop();
      await database.dispose();
    }
  });
});

describe.each(DATABASE_KINDS)('scheduled backups on %s', (kind) => {
  const fixture = useWebhookPlatform(kind);

  it('makes a backup on the cron pattern and prunes by the retention settings', async () => {
    const settings = new SettingsStore(fixture.platform.database.db);
    await settings.set('backup.keepLast', 1);
    await settings.set('backup.keepDaily', 0);
    await settings.set('backup.keepWeekly', 0);
    await settings.set('backup.schedule', '* * * * * *');
    const made = () => fixture.platform.logs.filter((line) => line.includes('scheduled backup made'));
    const deadline = Date.now() + 20_000;
    while (made().length < 2 && Date.now() < deadline) await sleep(100);
    await settings.set('backup.schedule', '');
    const [first, second] = made().map((line) => JSON.parse(line) as { backup: string; pruned: string[] });
    expect(first?.backup).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(second?.pruned).toEqual([first?.backup]);
  });

  it('alerts when scheduled backups fail for longer than twice the schedule', async () => {
    const { dataDir } = fixture.database;
    renameSync(path.join(dataDir, 'backups'), path.join(dataDir, 'backups-moved'));
    // A file where the folder should be: every backup fails.
    writeFileSync(path.join(dataDir, 'backups'), '');
    const settings = new SettingsStore(fixture.platform.database.db);
    await settings.set('backup.schedule', '* * * * * *');
    const backupAlert = async () =>
      (await fixture.platform.alerts.recent()).find((alert) => alert.subject === 'backup');
    const deadline = Date.now() + 20_000;
    while (!(await backupAlert()) && Date.now() < deadline) await sleep(200);
    await settings.set('backup.schedule', '');
    expect((await backupAlert())?.message).toContain('scheduled backups are failing');
    expect(fixture.platform.logs.some((line) => line.includes('scheduled backup failed'))).toBe(true);
  });
});
