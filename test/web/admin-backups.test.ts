// Backups in the admin panel through fastify's inject, against a whole platform on both databases:
// the running server backs itself up through its own database handle, lists the backup with its
// manifest, verifies it (tables and rows) and refuses a damaged one with the catalogue's error,
// prunes by the retention settings; every change audited as the signed-in admin with the address;
// the signed-out and forged requests refused; and the dashboard's card red while a schedule is set
// and no backup exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePath } from '../../src/ops/backup/backup-files.js';
import { cutShort } from '../support/backups.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';

interface Listed {
  backups: { id: string; createdAt: number; bytes: number; database: string; version: string; encrypted: boolean }[];
  retention: { keepLast: number; keepDaily: number; keepWeekly: number };
  freshness: { newest: { id: string } | null; stale: boolean };
}

describe.each(DATABASE_KINDS)('backups in the admin panel on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let session: { cookie: string; csrf: string };

  const get = (url: string, cookie: string | null = session.cookie) =>
    platform.app.inject({ url, headers: cookie ? { cookie } : {} });
  const post = (url: string, headers: Record<string, string> = { 'x-csrf-token': session.csrf }, cookie = true) =>
    platform.app.inject({
      method: 'POST',
      url,
      payload: {},
      headers: { ...(cookie ? { cookie: session.cookie } : {}), ...headers },
    });
  const audited = (action: string) =>
    platform.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target', 'ip', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const listed = async () => (await get('/api/admin/backups')).json<Listed>();

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD });
    await platform.ready;
    session = await adminSession(platform, 'admin', PASSWORD);
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  it('shows a red card on the dashboard while a schedule is set and no backup exists', async () => {
    const card = async () => /data-testid="backup-card" data-stale="(\w+)"/.exec((await get('/admin')).body)?.[1];
    expect(await card()).toBe('false');
    await platform.settings.set('backup.schedule', '0 3 * * *');
    expect(await card()).toBe('true');
    await platform.settings.set('backup.schedule', '');
  });

  it('refuses the signed-out and forged requests before any backup is made', async () => {
    expect((await get('/api/admin/backups', null)).statusCode).toBe(401);
    const signedOut = await post('/api/admin/backups', {}, false);
    expect(signedOut.statusCode).toBe(401);
    expect(signedOut.json()).toMatchObject({ ok: false, error: { code: 'OMNI_SIGNED_OUT' } });
    for (const url of ['/api/admin/backups', '/api/admin/backups/prune']) {
      const forged = await post(url, { 'x-csrf-token': 'forged' });
      expect(forged.statusCode).toBe(403);
      expect(forged.json()).toMatchObject({ ok: false, error: { code: 'OMNI_CSRF_REJECTED' } });
    }
    expect((await listed()).backups).toEqual([]);
  });

  it('backs the running server up, lists the backup with its manifest and verifies it, audited', async () => {
    const made = await post('/api/admin/backups');
    expect(made.statusCode).toBe(200);
    const { id } = made.json<{ backup: { id: string } }>().backup;
    const overview = await listed();
    expect(overview.backups).toEqual([
      expect.objectContaining({ id, database: kind, encrypted: false, version: expect.any(String) }),
    ]);
    expect(overview.backups[0]?.bytes).toBeGreaterThan(0);
    expect(overview.freshness).toMatchObject({ newest: { id }, stale: false });

    const verified = await post(`/api/admin/backups/${id}/verify`);
    expect(verified.statusCode).toBe(200);
    const { tables } = verified.json<{ tables: Record<string, number> }>();
    // The admin account signed in above is in the copy.
    expect(tables.admin_users).toBe(1);

    expect(await audited('backup.create')).toEqual([
      expect.objectContaining({ actor: 'admin', target: `backup:${id}`, ip: '127.0.0.1' }),
    ]);
    expect(await audited('backup.verify')).toEqual([
      expect.objectContaining({ actor: 'admin', target: `backup:${id}`, ip: '127.0.0.1' }),
    ]);
    const page = (await get('/admin/backups')).body;
    expect(page).toContain(`data-backup="${id}"`);
    expect(page).toContain('npx omnicore backup restore');
  });

  it('refuses a damaged or unknown backup with the catalogue’s error, and audits the refusal', async () => {
    const { id } = (await post('/api/admin/backups')).json<{ backup: { id: string } }>().backup;
    cutShort(archivePath(platform.config.DATA_DIR, id), 0.6);
    const damaged = await post(`/api/admin/backups/${id}/verify`);
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json()).toMatchObject({ ok: false, error: { code: 'BACKUP_CORRUPT' } });
    expect((await audited('backup.verify')).at(-1)).toMatchObject({ target: `backup:${id}` });
    expect(JSON.parse((await audited('backup.verify')).at(-1)?.details ?? '{}')).toMatchObject({ ok: false });

    const unknown = await post('/api/admin/backups/20200101T000000Z-abcdef/verify');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ ok: false, error: { code: 'BACKUP_NOT_FOUND' } });
    const malformed = await post('/api/admin/backups/..%2F..%2Fetc/verify');
    expect(malformed.json()).toMatchObject({ ok: false, error: { code: 'OMNI_INVALID_INPUT' } });
  });

  it('prunes by the retention settings and audits what it removed', async () => {
    await platform.settings.set('backup.keepLast', 1);
    await platform.settings.set('backup.keepDaily', 0);
    await platform.settings.set('backup.keepWeekly', 0);
    const before = (await listed()).backups.map((backup) => backup.id);
    expect(before.length).toBeGreaterThanOrEqual(2);
    const pruned = await post('/api/admin/backups/prune');
    expect(pruned.json()).toMatchObject({ ok: true, kept: [before[0]], removed: before.slice(1) });
    expect((await listed()).backups.map((backup) => backup.id)).toEqual([before[0]]);
    const [entry] = await audited('backup.prune');
    expect(entry).toMatchObject({ actor: 'admin', ip: '127.0.0.1' });
    expect(JSON.parse(entry?.details ?? '{}')).toMatchObject({ removed: before.slice(1), retention: { keepLast: 1 } });
  });
});
