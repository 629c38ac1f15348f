// /api/admin/plugins/<name>/…: the JSON routes plugins declare with ctx.admin.route, looked up at
// each request among the plugins running now (404 otherwise), behind the panel's session and CSRF
// checks like every API route; what a handler returns is sent as JSON, or as a file when it is a
// call.download(…).
import type { FastifyInstance } from 'fastify';
import { OmniError } from '../../../errors.js';
import { ADMIN_METHODS } from '../../../plugins/admin-pages.js';
import { PLUGIN_BODY_LIMIT, rawPathAfter } from '../../routes/plugin-routes.js';
import { callPlugin, pluginParams, runningPlugin } from '../plugin-calls.js';
import { isPluginDownload, readyToSend, sendDownload } from '../plugin-downloads.js';
import type { AdminServices } from '../services.js';

export async function pluginApiRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  app.route({
    method: [...ADMIN_METHODS],
    url: '/plugins/:name/*',
    bodyLimit: PLUGIN_BODY_LIMIT,
    handler: async (request, reply) => {
      const { name: plugin } = pluginParams.parse(request.params);
      const admin = runningPlugin(services, plugin);
      // Segments before the route's path: api, admin, plugins, <plugin>.
      const matched = admin?.routes.find(request.method, rawPathAfter(request.url, 4));
      if (!admin || !matched) throw new OmniError('OMNI_NOT_FOUND');
      const { input, handler } = matched.handler;
      const raw = { params: matched.params, query: request.query, body: request.body };
      const outcome = await callPlugin(services, request, reply, admin, input, raw, async (call) => {
        const value = await handler(call);
        if (isPluginDownload(value)) {
          return readyToSend(value, (error) => {
            services.plugins.charge(plugin, error).catch((chargeError: unknown) => {
              request.log.warn({ err: chargeError }, 'could not charge the plugin');
            });
          });
        }
        const json = JSON.stringify(value ?? { ok: true });
        if (json === undefined)
          throw new TypeError(`admin route ${request.method} ${request.url}: the answer is not JSON`);
        return json;
      });
      if (!outcome) return reply;
      if (isPluginDownload(outcome.value)) return sendDownload(reply, outcome.value);
      return reply.type('application/json; charset=utf-8').send(outcome.value);
    },
  });
}
