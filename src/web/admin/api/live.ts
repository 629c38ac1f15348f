// /api/admin/live: the dashboard's Server-Sent Events stream. On connect it sends the recent
// samples the observer holds ("history"), then each new sample as it is taken ("sample"), with a
// comment every 15 s so that proxies and the socket timeout keep the connection open.
import type { FastifyInstance } from 'fastify';
import { repeat } from '../../../lib/repeat.js';
import type { Sample } from '../../../ops/observer/metric-catalog.js';
import type { AdminServices } from '../services.js';

const HISTORY_SAMPLES = 90;
const HEARTBEAT_MS = 15_000;

function event(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

export async function liveApi(app: FastifyInstance, { observer, status }: AdminServices): Promise<void> {
  app.get('/live', async (request, reply) => {
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    out.write(event('history', { samples: observer.latest(HISTORY_SAMPLES), startedAt: status.startedAt }));
    const unsubscribe = observer.subscribe((sample: Sample) => out.write(event('sample', sample)));
    const heartbeat = repeat(() => out.write(': keep-alive\n\n'), {
      every: HEARTBEAT_MS,
      firstAfterMs: HEARTBEAT_MS,
      onError: (error) => request.log.warn({ err: error }, 'live stream heartbeat failed'),
    });
    request.raw.on('close', () => {
      void heartbeat.stop();
      unsubscribe();
    });
  });
}
