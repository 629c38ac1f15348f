// /api/admin/updates: what the install runs and what its source offers, the history, and one
// click to start `update apply` detached (the updater restarts this server); its progress is polled
// from the history row and the updater's log, which survives the restart. Starting is audited
// (by the desk, as Telegram's /update is).
import type { FastifyInstance } from 'fastify';
import type { AdminServices } from '../services.js';

export async function updatesApi(app: FastifyInstance, { updates }: AdminServices): Promise<void> {
  app.get('/updates/check', async () => updates.check());

  app.get('/updates', async () => ({
    history: (await updates.history()).map(({ log: _log, ...update }) => update),
  }));

  app.get('/updates/progress', async () => updates.progress());

  app.post('/updates/apply', async (request) => {
    await updates.start({ actor: request.admin?.account.username ?? '?', ip: request.ip });
    return { ok: true, started: true };
  });
}
