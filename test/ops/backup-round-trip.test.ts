// Backups on both databases: a backup restores the data as it was when taken, together with the
// DATA_DIR files; encrypted backups need their passphrase; a backup from a newer schema is refused.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/db/audit-log.js';
import { type DatabaseHandle, openConfiguredDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { backupsDir } from '../../src/ops/backup/backup-files.js';
import { createBackup } from '../../src/ops/backup/create-backup.js';
import { listBackups } from '../../src/ops/backup/list-backups.js';
import { restoreBackup } from '../../src/ops/backup/restore-backup.js';
import { verifyBackup } from '../../src/ops/backup/verify-backup.js';
import { backupConfig, rewriteArchive } from '../support/backups.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

describe.each(DATABASE_KINDS)('backups on %s', (kind) => {
  // Not useMigratedDatabase: a restore replaces the database under the handle, which is opened anew.
  const migrated = {} as { database: TestDatabase; handle: DatabaseHandle };
  beforeAll(async () => {
    migrated.database = await createTestDatabase(kind);
    migrated.handle = await openConfiguredDatabase(backupConfig(migrated.database));
    await migrateToLatest(migrated.handle);
  });
  afterAll(async () => {
    await migrated.handle?.close();
    await migrated.database?.dispose();
  });
  const actions = async () =>
    (await new AuditLog(migrated.handle.db).list({ limit: 100 })).map((entry) => entry.action).sort();

  it('restores the rows and DATA_DIR files as they were when the backup was taken', async () => {
    const config = backupConfig(migrated.database);
    const audit = new AuditLog(migrated.handle.db);
    await audit.record({ actor: 'test', action: 'before.one' });
    await audit.record({ actor: 'test', action: 'before.two' });
    mkdirSync(path.join(config.DATA_DIR, 'secrets'), { recursive: true });
    writeFileSync(path.join(config.DATA_DIR, 'secrets', 'webhook-secret'), 'old-secret\n');
    writeFileSync(path.join(config.DATA_DIR, 'knowledge.md'), '# Old knowledge\n');
    writeFileSync(path.join(config.DATA_DIR, 'knowledge.de.md'), '# Altes Wissen\n');
    writeFileSync(path.join(config.DATA_DIR, 'corpus.es.json'), '{"greeting": ["buenas"]}\n');
    mkdirSync(path.join(config.PLUGINS_DIR, 'greeter'), { recursive: true });
    writeFileSync(path.join(config.PLUGINS_DIR, 'greeter', 'index.js'), 'export default 1;\n');

    const backup = await createBackup({ config, database: migrated.handle });
    expect(backup.manifest).toMatchObject({ database: kind, encrypted: false, id: backup.id });
    expect(backup.manifest.parts.map((part) => part.role).sort()).toEqual(['data-files', 'database', 'plugins']);
    expect((await listBackups(config.DATA_DIR)).map((entry) => entry.id)).toContain(backup.id);
    const report = await verifyBackup(backup.id, { config });
    expect(report.tables.audit_log).toBe(2);

    await audit.record({ actor: 'test', action: 'after' });
    writeFileSync(path.join(config.DATA_DIR, 'knowledge.md'), '# New knowledge\n');
    rmSync(path.join(config.DATA_DIR, 'knowledge.de.md'));
    writeFileSync(path.join(config.DATA_DIR, 'corpus.es.json'), '{}\n');
    writeFileSync(path.join(config.PLUGINS_DIR, 'greeter', 'index.js'), 'export default 2;\n');
    await migrated.handle.close();
    try {
      await restoreBackup(backup.id, { config });
    } finally {
      migrated.handle = await openConfiguredDatabase(config);
    }
    expect(await actions()).toEqual(['before.one', 'before.two']);
    expect(readFileSync(path.join(config.DATA_DIR, 'knowledge.md'), 'utf8')).toBe('# Old knowledge\n');
    expect(readFileSync(path.join(config.DATA_DIR, 'knowledge.de.md'), 'utf8')).toBe('# Altes Wissen\n');
    expect(readFileSync(path.join(config.DATA_DIR, 'corpus.es.json'), 'utf8')).toBe('{"greeting": ["buenas"]}\n');
    expect(readFileSync(path.join(config.PLUGINS_DIR, 'greeter', 'index.js'), 'utf8')).toBe('export default 1;\n');
    expect(readFileSync(path.join(config.DATA_DIR, 'secrets', 'webhook-secret'), 'utf8')).toBe('old-secret\n');
    expect(readdirSync(backupsDir(config.DATA_DIR)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('encrypts every part with the passphrase and refuses the wrong one', async () => {
    const config = backupConfig(migrated.database, { BACKUP_PASSPHRASE: 'correct horse battery' });
    const backup = await createBackup({ config, database: migrated.handle, passphrase: config.BACKUP_PASSPHRASE });
    expect(backup.manifest.encrypted).toBe(true);
    expect(backup.manifest.parts.every((part) => part.name.endsWith('.enc'))).toBe(true);
    await expect(verifyBackup(backup.id, { config })).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE' });
    await expect(verifyBackup(backup.id, { config, passphrase: 'wrong horse battery' })).rejects.toMatchObject({
      code: 'BACKUP_PASSPHRASE',
    });
    const report = await verifyBackup(backup.id, { config, passphrase: 'correct horse battery' });
    expect(report.tables.audit_log).toBeGreaterThan(0);
  });

  it('refuses to restore a backup whose schema is newer than this code', async () => {
    const config = backupConfig(migrated.database);
    const backup = await createBackup({ config, database: migrated.handle });
    await rewriteArchive(backup.file, (dir) => {
      const file = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...manifest, schemaVersion: '2099-01-01.01-from-the-future' }));
    });
    await expect(restoreBackup(backup.id, { config })).rejects.toMatchObject({
      code: 'BACKUP_SCHEMA_NEWER',
      message: expect.stringContaining('2099-01-01.01-from-the-future'),
    });
    expect(existsSync(backup.file)).toBe(true);
  });
});
