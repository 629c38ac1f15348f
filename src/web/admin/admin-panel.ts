// The admin panel as one Fastify plugin: cookies, form bodies and Eta views for /admin pages, the
// JSON API under /api/admin, and static assets. Everything but the sign-in page and the assets
// sits behind requireAdmin (session before the body is read, then CSRF).

import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance } from 'fastify';
import { OmniError } from '../../errors.js';
import { accountRoutes } from './account-routes.js';
import { alertsApi } from './api/alerts.js';
import { analyticsApi } from './api/analytics.js';
import { auditApi } from './api/audit.js';
import { backupsApi } from './api/backups.js';
import { chatApi } from './api/chat.js';
import { entitlementsApi } from './api/entitlements.js';
import { experimentsApi } from './api/experiments.js';
import { instanceMetricsApi } from './api/instance-metrics.js';
import { liveApi } from './api/live.js';
import { paymentsApi } from './api/payments.js';
import { pluginApiRoutes } from './api/plugin-api.js';
import { pluginApi } from './api/plugins.js';
import { securityApi } from './api/security.js';
import { settingsApi } from './api/settings.js';
import { systemApi } from './api/system.js';
import { updatesApi } from './api/updates.js';
import { userApi, userBanApi } from './api/users.js';
import { ASSETS_PREFIX, adminAssets } from './assets.js';
import { entryRoutes, FAVICON } from './entry-routes.js';
import { experimentPageRoutes } from './experiment-pages.js';
import { format } from './format.js';
import { loginRoutes } from './login-routes.js';
import { pageRoutes } from './page-routes.js';
import { paymentPageRoutes } from './payment-pages.js';
import { pluginPageRoutes } from './plugin-pages.js';
import type { AdminServices } from './services.js';
import { requireAdmin } from './session-auth.js';

const VIEWS_DIR = fileURLToPath(new URL('./views/', import.meta.url));

export async function adminPanel(app: FastifyInstance, services: AdminServices): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyView, {
    engine: { eta: new Eta({ autoEscape: true, cache: true }) },
    root: VIEWS_DIR,
    production: true,
    defaultContext: { assets: ASSETS_PREFIX, favicon: FAVICON, format },
  });
  await app.register(adminAssets);
  await app.register(entryRoutes);
  await app.register(loginRoutes, {
    accounts: services.accounts,
    sessions: services.sessions,
    guard: services.guard,
    audit: services.audit,
    ...(services.onSignInFailure ? { onFailure: services.onSignInFailure } : {}),
  });
  const guard = requireAdmin(services.accounts, services.sessions);
  await app.register(
    async (pages) => {
      pages.addHook('onRequest', guard.onRequest);
      pages.addHook('preValidation', guard.preValidation);
      await pageRoutes(pages, services);
      await paymentPageRoutes(pages, services);
      await experimentPageRoutes(pages, services);
      await accountRoutes(pages, services);
      await pluginPageRoutes(pages, services);
    },
    { prefix: '/admin' },
  );
  await app.register(
    async (api) => {
      api.addHook('onRequest', guard.onRequest);
      api.addHook('preValidation', guard.preValidation);
      // Unknown API paths pass the session check too, so that they read no stranger's body either.
      api.setNotFoundHandler((_request, reply) => reply.code(404).send(new OmniError('OMNI_NOT_FOUND').toJSON()));
      for (const routes of [
        pluginApi,
        settingsApi,
        userApi,
        userBanApi,
        entitlementsApi,
        paymentsApi,
        experimentsApi,
        auditApi,
        systemApi,
        backupsApi,
        updatesApi,
        chatApi,
        liveApi,
        instanceMetricsApi,
        securityApi,
        alertsApi,
        analyticsApi,
        pluginApiRoutes,
      ]) {
        await routes(api, services);
      }
    },
    { prefix: '/api/admin' },
  );
}
