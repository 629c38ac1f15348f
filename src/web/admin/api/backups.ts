// /api/admin/backups: the backups in DATA_DIR with their manifests, one made now by the running
// server, one verified, and pruning by the retention settings; each change audited as the signed-in
// admin with the address. Restoring stays with `omnicore backup restore`, which needs the server stopped.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

const idParams = z.object({ id: z.string().regex(/^[0-9TZ]{16}-[0-9a-f]{6}$/, 'a backup id') });

/** What the Backups page shows: the list, the retention in force and how fresh the newest is. */
export async function backupsOverview({ backups }: AdminServices) {
  const [list, freshness] = await Promise.all([backups.list(), backups.freshness()]);
  return { backups: list, retention: backups.retention(), freshness };
}

export async function backupsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { backups, audit } = services;
  const record = (request: FastifyRequest, action: string, target: string | null, details: unknown) =>
    audit.record({ actor: request.admin?.account.username ?? '?', action, target, details, ip: request.ip });

  api.get('/backups', async () => backupsOverview(services));

  api.post('/backups', async (request) => {
    const made = await backups.create();
    await record(request, 'backup.create', `backup:${made.id}`, {
      bytes: made.bytes,
      database: made.manifest.database,
      encrypted: made.manifest.encrypted,
    });
    return { ok: true, backup: { id: made.id, bytes: made.bytes, manifest: made.manifest } };
  });

  api.post('/backups/:id/verify', { schema: { params: idParams } }, async (request) => {
    const { id } = request.params;
    try {
      const report = await backups.verify(id);
      await record(request, 'backup.verify', `backup:${id}`, { ok: true, tables: Object.keys(report.tables).length });
      return { ok: true, id, tables: report.tables, manifest: report.manifest };
    } catch (error) {
      await record(request, 'backup.verify', `backup:${id}`, { ok: false, error: (error as Error).message });
      throw error;
    }
  });

  api.post('/backups/prune', async (request) => {
    const result = await backups.prune();
    await record(request, 'backup.prune', null, { retention: backups.retention(), removed: result.removed });
    return { ok: true, ...result };
  });
}
