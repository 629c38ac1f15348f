// The panel's pages, rendered on the server from the same functions the JSON API serves; the
// scripts in public/ make them live (charts, forms that post to the API, the test chat).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SECURITY_EVENT_TYPES, securityEventQuery } from '../../ops/security/security-events.js';
import { ASSIGNMENTS, AUDIT_PAGE_SIZE, auditPage, auditQuery } from './api/audit.js';
import { backupsOverview } from './api/backups.js';
import { userEntitlements } from './api/entitlements.js';
import { INSTANCE_CHARTS, INSTANCE_WINDOW_MINUTES } from './api/instance-metrics.js';
import { bansInForce, securityEvents } from './api/security.js';
import { settingsOverview } from './api/settings.js';
import { systemSnapshot } from './api/system.js';
import { USERS_PAGE_SIZE, userListQuery } from './api/users.js';
import { pageRenderer, pluginPagePath } from './render.js';
import { formFields } from './schema-form.js';
import type { AdminServices } from './services.js';

const sinceHours = z.coerce
  .number()
  .int()
  .min(1)
  .max(24 * 366);
const nameParams = z.object({ name: z.string().min(1).max(100) });
const idParams = z.object({ id: z.coerce.number().int().safe() });

export async function pageRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  const { plugins, users, audit, security } = services;
  const render = pageRenderer(plugins);

  app.get('/', async (request, reply) =>
    render(request, reply, 'dashboard', 'Dashboard', {
      system: await systemSnapshot(services),
      alerts: await services.alerts.recent(5),
      instanceCharts: { charts: INSTANCE_CHARTS, minutes: INSTANCE_WINDOW_MINUTES },
    }),
  );

  app.get('/plugins', async (request, reply) =>
    render(request, reply, 'plugins', 'Plugins', { plugins: plugins.list() }),
  );

  app.get('/plugins/:name', async (request, reply) => {
    const { name } = nameParams.parse(request.params);
    const status = plugins.list().find((plugin) => plugin.name === name);
    if (!status) return reply.callNotFound();
    const { schema, value } = status.refused ? { schema: undefined, value: {} } : plugins.configuration(name);
    const fields = schema ? formFields(schema, (value ?? {}) as Record<string, unknown>) : [];
    // The pages it adds to the panel, while it runs (those reached by links only are left out).
    const pages = (plugins.adminContributions().find((admin) => admin.plugin === name)?.listed ?? []).map((page) => ({
      path: pluginPagePath(name, page.path),
      title: page.title,
      icon: page.icon,
    }));
    return render(request, reply, 'plugin', `Plugin ${name}`, { plugin: status, fields, pages });
  });

  app.get('/settings', async (request, reply) =>
    render(request, reply, 'settings', 'Settings', {
      groups: await settingsOverview(services),
    }),
  );

  app.get('/users', async (request, reply) => {
    const query = userListQuery.parse(request.query);
    const result = await users.search(query.q, query.page, USERS_PAGE_SIZE);
    const banned = result.users.filter((user) => security.bans.isBanned(user.id)).map((user) => user.id);
    return render(request, reply, 'users', 'Users', { ...result, q: query.q, banned });
  });

  app.get('/users/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const found = await users.get(id);
    if (!found) return reply.callNotFound();
    const [bans, held] = await Promise.all([security.bans.list(), userEntitlements(services, id)]);
    const ban = bans.find((entry) => entry.userId === id);
    return render(request, reply, 'user', `User ${id}`, { ...found, ...held, ban });
  });

  app.get('/chat', async (request, reply) =>
    render(request, reply, 'chat', 'Test chat', {
      available: !!services.emulator,
      bot: services.emulator?.botUser,
    }),
  );

  app.get('/audit', async (request, reply) => {
    const query = auditQuery.parse(request.query);
    const entries = await auditPage(audit, query);
    return render(request, reply, 'audit', 'Audit log', {
      entries,
      action: query.action,
      pageSize: AUDIT_PAGE_SIZE,
      assignments: ASSIGNMENTS,
    });
  });

  app.get('/analytics', async (request, reply) =>
    render(request, reply, 'analytics', 'Analytics', { report: await services.analytics.report() }),
  );

  app.get('/security', async (request, reply) => {
    // Empty form fields mean "no filter"; a malformed one is a 400 like any bad query.
    const { hours, ...filters } = Object.fromEntries(
      Object.entries(request.query as Record<string, string>).filter(([, value]) => value !== ''),
    );
    const since = hours === undefined ? undefined : Date.now() - sinceHours.parse(hours) * 3_600_000;
    const query = securityEventQuery.parse({ ...filters, ...(since === undefined ? {} : { since }) });
    const [events, bans] = await Promise.all([securityEvents(services, query), bansInForce(services)]);
    return render(request, reply, 'security', 'Security', {
      events,
      bans,
      filters: { ...filters, ...(hours === undefined ? {} : { hours }) },
      types: SECURITY_EVENT_TYPES,
      limit: query.limit,
    });
  });

  app.get('/system', async (request, reply) => {
    const [system, current, progress, instances] = await Promise.all([
      systemSnapshot(services),
      services.updates.current(),
      services.updates.progress(),
      services.instances(),
    ]);
    return render(request, reply, 'system', 'System', { system, current, progress, instances });
  });

  app.get('/backups', async (request, reply) =>
    render(request, reply, 'backups', 'Backups', {
      ...(await backupsOverview(services)),
      encrypted: services.backups.encrypted,
    }),
  );
}
