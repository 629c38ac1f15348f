// A damaged backup is refused by verify and by restore, with the reason, on both databases: cut
// short, bytes changed, a part missing, a checksum unlike the manifest's, a database that does not
// open. A refused restore leaves the live data as it was.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/db/audit-log.js';
import { createBackup } from '../../src/ops/backup/create-backup.js';
import { restoreBackup } from '../../src/ops/backup/restore-backup.js';
import { verifyBackup } from '../../src/ops/backup/verify-backup.js';
import { backupConfig, cutShort, flipByte, rewriteArchive } from '../support/backups.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

type Manifest = { parts: { name: string; role: string; bytes: number; sha256: string }[] };

function editManifest(dir: string, edit: (manifest: Manifest) => void): void {
  const file = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest));
}

describe.each(DATABASE_KINDS)('damaged backups on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const fresh = async () => {
    await new AuditLog(migrated.handle.db).record({ actor: 'test', action: 'kept' });
    const config = backupConfig(migrated.database);
    return { config, backup: await createBackup({ config, database: migrated.handle }) };
  };
  const refusal = (id: string, config: ReturnType<typeof backupConfig>) =>
    verifyBackup(id, { config }).then(
      () => undefined,
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );

  it('refuses an archive cut short', async () => {
    const { config, backup } = await fresh();
    cutShort(backup.file, 0.6);
    // Where the cut lands decides which check sees it first: the stream ends early, or a part the
    // manifest lists is missing or short. Either way it is refused with the reason.
    expect(await refusal(backup.id, config)).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringMatching(/cannot be read|missing|differs|size/),
    });
  });

  it('refuses an archive with a byte changed', async () => {
    const { config, backup } = await fresh();
    flipByte(backup.file, 0.5);
    expect(await refusal(backup.id, config)).toMatchObject({ code: 'BACKUP_CORRUPT' });
  });

  it('refuses an archive without its database part', async () => {
    const { config, backup } = await fresh();
    const database = backup.manifest.parts.find((part) => part.role === 'database')?.name as string;
    await rewriteArchive(backup.file, (dir) => rmSync(path.join(dir, database)));
    expect(await refusal(backup.id, config)).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining(`the part ${database} is missing`),
    });
  });

  it('refuses an archive without its manifest', async () => {
    const { config, backup } = await fresh();
    await rewriteArchive(backup.file, (dir) => rmSync(path.join(dir, 'manifest.json')));
    expect(await refusal(backup.id, config)).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining('no manifest'),
    });
  });

  it('refuses a part whose SHA-256 differs from the manifest', async () => {
    const { config, backup } = await fresh();
    await rewriteArchive(backup.file, (dir) =>
      editManifest(dir, (manifest) => {
        (manifest.parts[0] as Manifest['parts'][number]).sha256 = '0'.repeat(64);
      }),
    );
    expect(await refusal(backup.id, config)).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringContaining('SHA-256'),
    });
  });

  it('refuses a database part that matches its checksum but does not open', async () => {
    const { config, backup } = await fresh();
    const garbage = Buffer.from('not a database at all, '.repeat(200));
    await rewriteArchive(backup.file, (dir) => {
      editManifest(dir, (manifest) => {
        const part = manifest.parts.find((candidate) => candidate.role === 'database') as Manifest['parts'][number];
        writeFileSync(path.join(dir, part.name), garbage);
        part.bytes = garbage.length;
        part.sha256 = createHash('sha256').update(garbage).digest('hex');
      });
    });
    expect(await refusal(backup.id, config)).toMatchObject({
      code: 'BACKUP_CORRUPT',
      message: expect.stringMatching(/does not (open cleanly|restore)/),
    });
  });

  it('refuses to restore a damaged archive and leaves the live data alone', async () => {
    const { config, backup } = await fresh();
    await new AuditLog(migrated.handle.db).record({ actor: 'test', action: 'after-backup' });
    flipByte(backup.file, 0.5);
    await expect(restoreBackup(backup.id, { config })).rejects.toMatchObject({ code: 'BACKUP_CORRUPT' });
    const actions = (await new AuditLog(migrated.handle.db).list({ limit: 100 })).map((entry) => entry.action);
    expect(actions).toContain('after-backup');
  });

  it('says so when no backup has the id', async () => {
    const config = backupConfig(migrated.database);
    expect(await refusal('20200101T000000Z-abcdef', config)).toMatchObject({ code: 'BACKUP_NOT_FOUND' });
    expect(await refusal('../../etc/passwd', config)).toMatchObject({ code: 'BACKUP_NOT_FOUND' });
  });
});
