// The panel's static files: Bootstrap, Chart.js and Font Awesome straight from node_modules (no
// CDN, so the panel works offline and under a CSP of 'self'), and the panel's own scripts.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const ASSETS_PREFIX = '/admin/assets';

const require = createRequire(import.meta.url);

const mounts: Record<string, string> = {
  bootstrap: join(dirname(require.resolve('bootstrap/package.json')), 'dist'),
  chartjs: dirname(require.resolve('chart.js')),
  fontawesome: dirname(require.resolve('@fortawesome/fontawesome-free/package.json')),
  app: fileURLToPath(new URL('./public/', import.meta.url)),
};

export async function adminAssets(app: FastifyInstance): Promise<void> {
  let first = true;
  for (const [name, root] of Object.entries(mounts)) {
    await app.register(fastifyStatic, {
      root,
      prefix: `${ASSETS_PREFIX}/${name}/`,
      // Only the first registration may add reply.sendFile; the others would collide with it.
      decorateReply: first,
      index: false,
      maxAge: '1d',
      allowedPath: (path) => !path.includes('/node_modules/') && !path.endsWith('.map'),
    });
    first = false;
  }
}
