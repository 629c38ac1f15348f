// A small load balancer for tests with several instances: each request goes to the next instance in
// turn, and to the one after when an instance refuses the connection (it is down), as nginx or Caddy
// would. A request cut off after it reached an instance is answered 502, never retried elsewhere:
// that one may have stored it, and only the sender (Telegram) may send it again.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLocally, readBody } from './local-server.js';

export interface RoundRobinProxy {
  readonly url: string;
  /** Requests each instance was sent, by its base URL. */
  readonly forwarded: Map<string, number>;
  stop(): Promise<void>;
}

/** Listens on `port` of 127.0.0.1 (a free one by default). */
export async function startRoundRobinProxy(instances: readonly string[], port = 0): Promise<RoundRobinProxy> {
  const forwarded = new Map<string, number>(instances.map((instance) => [instance, 0]));
  let next = 0;
  const handle = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    for (let tried = 0; tried < instances.length; tried++) {
      const target = instances[next++ % instances.length] as string;
      const outcome = await forward(target, incoming, body);
      if (outcome === 'refused') continue;
      forwarded.set(target, (forwarded.get(target) ?? 0) + 1);
      if (outcome === 'cut') break;
      response.writeHead(outcome.status, { 'content-type': outcome.type }).end(outcome.body);
      return;
    }
    response.writeHead(502).end();
  };
  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => response.writeHead(502).end());
  });
  const url = await listenLocally(server, port);
  return { url, forwarded, stop: () => closeServer(server) };
}

type Outcome = { status: number; type: string; body: string } | 'refused' | 'cut';

function forward(target: string, incoming: IncomingMessage, body: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      `${target}${incoming.url ?? '/'}`,
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host } },
      (answer) => {
        readBody(answer).then(
          (text) =>
            resolve({
              status: answer.statusCode ?? 502,
              type: answer.headers['content-type'] ?? 'text/plain',
              body: text,
            }),
          () => resolve('cut'),
        );
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED' ? 'refused' : 'cut'));
    outgoing.end(body);
  });
}
