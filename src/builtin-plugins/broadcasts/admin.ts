// Broadcasts in the admin panel: a form (segment, HTML text, photo, URL buttons) with a preview of
// the audience's size before sending, the list with live counts (the page polls `broadcasts` every
// second) and pause, resume and cancel.
import { z } from 'zod';
import type { PluginContext } from '../../plugins/api.js';
import type { Broadcaster } from './broadcaster.js';
import type { BroadcastsConfig } from './config.js';
import { button, messageSchema } from './message.js';
import { omniFailure } from './outcome.js';
import { type Broadcast, pending } from './store.js';

const idParams = z.object({ id: z.string().regex(/^[a-z0-9]{6,24}$/) });
const previewQuery = z.object({ segment: z.string().max(80) });
/** Buttons as the form writes them: one `Label | https://…` a line. */
const buttonLines = z
  .string()
  .max(6000)
  .transform((text) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const [text = '', url = ''] = line.split(/\s*\|\s*/);
        return { text, url };
      }),
  )
  .pipe(z.array(button).max(10));
const createBody = messageSchema.extend({
  segment: z.string().max(80),
  buttons: z.union([z.array(button).max(10), buttonLines]).default([]),
});

const view = (b: Broadcast) => ({ ...b, pending: pending(b) });

export function broadcastsAdmin(ctx: PluginContext<BroadcastsConfig>, broadcaster: Broadcaster): void {
  const { admin } = ctx;
  const failing =
    (fail: (status: 400 | 404 | 409, message: string) => never) =>
    (error: unknown): never => {
      const failure = omniFailure(error);
      if (!failure) throw error;
      return fail(failure.statusCode === 404 ? 404 : failure.statusCode === 409 ? 409 : 400, failure.message);
    };
  admin.assets('public');
  admin.page({
    path: 'broadcasts',
    title: 'Broadcasts',
    icon: 'fa-tower-broadcast',
    view: 'views/broadcasts.eta',
    scripts: ['broadcasts.js'],
    data: async () => ({
      broadcasts: (await broadcaster.broadcasts.list()).map(view),
      rate: ctx.config.ratePerSecond,
      via: broadcaster.sender?.kind ?? 'jobs',
    }),
  });
  admin.route('GET', 'preview', { query: previewQuery }, async ({ query, fail }) =>
    ctx.audience.count(query.segment).catch(failing(fail)),
  );
  admin.route('GET', 'broadcasts', async () => (await broadcaster.broadcasts.list()).map(view));
  admin.route('GET', 'broadcasts/:id', { params: idParams }, async ({ params, fail }) => {
    const found = await broadcaster.broadcasts.get(params.id);
    return found ? view(found) : fail(404, `there is no broadcast ${params.id}`);
  });
  admin.route('POST', 'broadcasts', { body: createBody }, async ({ body, admin: who, audit, fail }) => {
    const { segment, ...message } = body;
    const created = await broadcaster.create(message, segment, `panel:${who.username}`).catch(failing(fail));
    await audit('create', { target: created.id, details: { segment, status: created.status } });
    return view(created);
  });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    admin.route('POST', `broadcasts/:id/${action}`, { params: idParams }, async ({ params, audit, fail }) => {
      const changed = await broadcaster[action](params.id).catch(failing(fail));
      await audit(action, { target: params.id });
      return view(changed);
    });
  }
}
