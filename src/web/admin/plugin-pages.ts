// The pages and static files plugins add to the panel (declared with ctx.admin, see
// plugins/admin-pages.ts), looked up at each request among the plugins running now: they come and go
// with them, on every instance. A page is the plugin's view inside the panel's layout. (Their JSON
// routes are in api/plugin-api.ts.)
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { rawPathAfter } from '../routes/plugin-routes.js';
import { ASSETS_PREFIX } from './assets.js';
import { callPlugin, pluginParams, runningPlugin } from './plugin-calls.js';
import { pageRenderer, pluginPagePath } from './render.js';
import type { AdminServices } from './services.js';

/** Where a plugin's assets folder is served, under the panel's assets prefix. */
function pluginAssetsUrl(plugin: string): string {
  return `${ASSETS_PREFIX}/plugins/${plugin}`;
}

/** Registered in the /admin scope, behind the session check. */
export async function pluginPageRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  const render = pageRenderer(services.plugins);

  app.get('/plugins/:name/*', async (request, reply) => {
    const { name: plugin } = pluginParams.parse(request.params);
    const admin = runningPlugin(services, plugin);
    // Segments before the page's path: admin, plugins, <plugin>.
    const matched = admin?.pages.find('GET', rawPathAfter(request.url, 3));
    if (!admin || !matched) return reply.callNotFound();
    const page = matched.handler;
    const assets = (files: readonly string[]) => files.map((file) => `${pluginAssetsUrl(plugin)}/${file}`);
    const raw = { params: matched.params, query: request.query, body: undefined };
    const outcome = await callPlugin(services, request, reply, admin, page.input, raw, async (call) => {
      const data = await page.data(call);
      if (typeof data !== 'object' || data === null || Array.isArray(data))
        throw new TypeError(`admin page ${page.path}: data() must return an object`);
      return page.render({
        ...data,
        panel: {
          api: `/api/admin/plugins/${plugin}`,
          assets: pluginAssetsUrl(plugin),
          csrf: request.admin?.session.csrfToken,
          admin: call.admin.username,
        },
      });
    });
    if (!outcome) return reply;
    return render(
      request,
      reply,
      'plugin-page',
      page.title,
      { plugin, icon: page.icon, html: outcome.value },
      {
        section: pluginPagePath(plugin, page.path),
        scripts: [`${ASSETS_PREFIX}/app/charts.js`, ...assets(page.scripts)],
        styles: assets(page.styles),
      },
    );
  });

  await app.register(async (files) => {
    // Only for reply.sendFile: what may be sent is decided per request, from the running plugins.
    await files.register(fastifyStatic, { serve: false, dotfiles: 'deny' });
    files.get('/assets/plugins/:name/*', async (request, reply) => {
      const { name: plugin, '*': file } = pluginParams.parse(request.params);
      const found = runningPlugin(services, plugin)?.asset(file);
      if (!found) return reply.callNotFound();
      return reply.sendFile(found.file, found.root);
    });
  });
}
