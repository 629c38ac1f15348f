// /plugins/<name>/…: hands each request to the route an active plugin declared for it; 404 when the
// plugin is off or has no such route. One catch-all, because plugins come and go while the server runs.
import type { FastifyInstance } from 'fastify';
import { OmniError } from '../../errors.js';
import type { MatchedRoute } from '../../plugins/host.js';

/**
 * Bodies a plugin route accepts: any stranger can reach these routes, and webhooks and forms need
 * far less than the platform's 1 MiB; a larger body is refused with 413 before it is read.
 */
export const PLUGIN_BODY_LIMIT = 64 * 1024;

export type PluginRouteLookup = (plugin: string, method: string, path: string) => MatchedRoute | undefined;

export async function pluginRoutes(app: FastifyInstance, options: { lookup: PluginRouteLookup }): Promise<void> {
  app.route({
    method: ['GET', 'POST'],
    url: '/plugins/:plugin/*',
    bodyLimit: PLUGIN_BODY_LIMIT,
    handler: async (request, reply) => {
      const { plugin } = request.params as { plugin: string };
      const matched = options.lookup(plugin, request.method, rawPathAfter(request.url, 2));
      if (!matched) throw new OmniError('OMNI_NOT_FOUND');
      request.params = { ...(request.params as object), ...matched.params };
      return matched.handler(request, reply);
    },
  });
}

/**
 * The path after the first `segments` segments (e.g. 2 for /plugins/<name>), as the client sent it:
 * Fastify's `*` param is already decoded, and a plugin's router must decode it once itself (an
 * encoded "/" or "%" would otherwise change meaning).
 */
export function rawPathAfter(url: string, segments: number): string {
  const [path = ''] = url.split('?', 1);
  return `/${path
    .split('/')
    .slice(segments + 1)
    .join('/')}`;
}
