// /api/admin/system: versions, uptime, the inbox backlog, health checks, the update history and
// the newest backup's age.
import type { FastifyInstance } from 'fastify';
import { runChecks } from '../../routes/health.js';
import type { AdminServices } from '../services.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Each health check's latest result with its availability and mean latency over the last day. */
async function healthOverview(health: AdminServices['health'], now = Date.now()) {
  return Promise.all(
    health.latest().map(async (result) => {
      const history = await health.history(result.name, now - DAY_MS, now);
      const passed = history.filter((entry) => entry.ok).length;
      const latency = history.reduce((sum, entry) => sum + entry.latencyMs, 0);
      return {
        ...result,
        runs: history.length,
        availability: history.length > 0 ? passed / history.length : null,
        meanLatencyMs: history.length > 0 ? latency / history.length : null,
      };
    }),
  );
}

export async function systemSnapshot({ status, readiness, updates, backups, plugins, health }: AdminServices) {
  const [backlog, checks, history, backup, services] = await Promise.all([
    status.backlog(),
    runChecks(readiness),
    updates.history(20),
    backups.freshness(),
    healthOverview(health),
  ]);
  const memory = process.memoryUsage();
  const pluginList = plugins.list();
  return {
    version: status.version,
    mode: status.mode,
    database: status.database,
    startedAt: status.startedAt,
    uptimeSeconds: Math.round((Date.now() - status.startedAt) / 1000),
    backlog,
    conflicts: status.conflicts(),
    checks,
    health: services,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    pid: process.pid,
    memory: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal },
    plugins: { total: pluginList.length, active: pluginList.filter((plugin) => plugin.active).length },
    // The logs are read one at a time, on the update's own page of progress.
    backup,
    updates: history.map(({ log: _log, ...update }) => update),
  };
}

export async function systemApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  app.get('/system', async () => systemSnapshot(services));
}
