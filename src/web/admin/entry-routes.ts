// Where a visitor lands without a path: the site root opens the panel (it is the only page a person
// reads here), and browsers asking for /favicon.ico on their own get the panel's icon.
import type { FastifyInstance } from 'fastify';
import { ASSETS_PREFIX } from './assets.js';

export const FAVICON = `${ASSETS_PREFIX}/app/favicon.svg`;

export async function entryRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', (_request, reply) => reply.redirect('/admin'));
  app.get('/favicon.ico', (_request, reply) => reply.redirect(FAVICON, 301));
}
