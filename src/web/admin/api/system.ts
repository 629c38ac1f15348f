// /api/admin/system: versions, uptime, the inbox backlog, health checks and the update history.
import type { FastifyInstance } from 'fastify';
import { runChecks } from '../../routes/health.js';
import type { AdminServices } from '../services.js';

export async function systemSnapshot({ status, readiness, updateHistory, plugins }: AdminServices) {
  const [backlog, checks, updates] = await Promise.all([status.backlog(), runChecks(readiness), updateHistory()]);
  const memory = process.memoryUsage();
  const pluginList = plugins.list();
  return {
    version: status.version,
    mode: status.mode,
    database: status.database,
    startedAt: status.startedAt,
    uptimeSeconds: Math.round((Date.now() - status.startedAt) / 1000),
    backlog,
    checks,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pid: process.pid,
    memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal },
    plugins: { total: pluginList.length, active: pluginList.filter((plugin) => plugin.active).length },
    updates,
  };
}

export async function systemApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  app.get('/system', async () => systemSnapshot(services));
}
