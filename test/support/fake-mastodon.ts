// A fake Mastodon instance over real HTTP, for what the publishing plugin calls: the instance, the
// token's account, media (202 then processed after some polls), statuses with Idempotency-Key, their
// counts and context. It records every request, and can be told to revoke the token (and restore it), rate-limit, fail
// (503) or never answer.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { accountJson, type FakeStatus, instanceJson, statusJson, unfoldForm } from './fake-mastodon-entities.js';
import { closeServer, listenLocally } from './local-server.js';

export interface MastodonRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON or form (bracketed keys unfolded; a file as its name, type and size); undefined without a body. */
  body: Record<string, unknown> | undefined;
}

export const FAKE_MASTODON_TOKEN = 'fake-mastodon-token-Zx81';

export class FakeMastodon {
  readonly requests: MastodonRequest[] = [];
  readonly statuses = new Map<string, FakeStatus>();
  /** The descendants GET /api/v1/statuses/:id/context lists for a status (statuses as JSON). */
  readonly descendants = new Map<string, Record<string, unknown>[]>();
  maxCharacters = 500;
  /** Bytes, as the instance's configuration says. */
  imageSizeLimit = 16_777_216;
  /** How many times GET /api/v1/media/:id answers 206 (still processing) before 200. */
  mediaPolls = 1;
  /** false: only /api/v1/instance (with max_toot_chars), as before Mastodon 4.0. */
  v2Instance = true;
  url = '';
  readonly account = { id: '1', acct: 'omni' };
  private readonly media = new Map<string, { polls: number; description: string | null }>();
  private readonly idempotency = new Map<string, string>();
  private revoked = false;
  private limited: { count: number; retryAfter?: string; resetInSeconds: number } = { count: 0, resetInSeconds: 0 };
  private failing: { count: number; mode: 'json' | 'html' | 'hang'; retryAfter?: string } = { count: 0, mode: 'json' };
  private dropping: { path: string; skip: number } | undefined;
  private serial = 110_000_000_000_000_000n;
  private readonly server = createServer((request, response) => {
    this.handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
  });

  async start(): Promise<this> {
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  revoke(): void {
    this.revoked = true;
  }

  /** The token is accepted again (the instance's admin undid the revocation). */
  restore(): void {
    this.revoked = false;
  }

  /** The next `count` requests answer 429 with X-RateLimit-* headers (and Retry-After when given). */
  rateLimit(count: number, options: { retryAfter?: string; resetInSeconds?: number } = {}): void {
    this.limited = { count, resetInSeconds: options.resetInSeconds ?? 300, retryAfter: options.retryAfter };
  }

  /** The next `count` requests answer 503 (JSON as Mastodon's, or HTML as a proxy's) or never answer. */
  fail(count: number, mode: 'json' | 'html' | 'hang', retryAfter?: string): void {
    this.failing = { count, mode, retryAfter };
  }

  /**
   * The answer to a request to `path` (after `skip` others to it) is lost: the instance does what it
   * asked, then the connection drops, as when a network fails between the instance and us.
   */
  dropAnswer(path: string, skip = 0): void {
    this.dropping = { path, skip };
  }

  /** A reply by another account (or the instance's own), listed among the status's descendants. */
  reply(
    to: string,
    options: { acct: string; text: string; createdAt: string; inReplyTo?: string; own?: boolean },
  ): string {
    const id = this.nextId();
    const author = options.own ? this.account : { id: `9${id.slice(-4)}`, acct: options.acct };
    const status: FakeStatus = {
      ...this.newStatus(id, { status: options.text, in_reply_to_id: options.inReplyTo ?? to }),
      created_at: options.createdAt,
      account: accountJson(this.url, author.id, author.acct),
    };
    this.descendants.set(to, [...(this.descendants.get(to) ?? []), statusJson(this.url, status)]);
    const parent = this.statuses.get(to);
    if (parent) parent.replies_count += 1;
    return id;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<unknown> {
    const path = new URL(request.url ?? '/', this.url).pathname;
    const body = await readBody(request);
    this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body });
    if (this.failing.count > 0) {
      this.failing.count -= 1;
      if (this.failing.mode === 'hang') return;
      const headers: Record<string, string> = this.failing.retryAfter ? { 'retry-after': this.failing.retryAfter } : {};
      if (this.failing.mode === 'json') return send(response, 503, { error: 'Service Unavailable' }, headers);
      return response
        .writeHead(503, { 'content-type': 'text/html', ...headers })
        .end('<h1>503 Service Unavailable</h1>');
    }
    if (this.limited.count > 0) {
      this.limited.count -= 1;
      const reset = new Date(Date.now() + this.limited.resetInSeconds * 1000).toISOString();
      const headers: Record<string, string> = {
        'x-ratelimit-limit': '300',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': reset,
      };
      if (this.limited.retryAfter) headers['retry-after'] = this.limited.retryAfter;
      return send(response, 429, { error: 'Too many requests' }, headers);
    }
    if (path === '/api/v2/instance' && this.v2Instance)
      return send(response, 200, instanceJson(this.url, this.maxCharacters, this.imageSizeLimit));
    if (path === '/api/v1/instance') {
      return send(response, 200, { uri: new URL(this.url).host, max_toot_chars: this.maxCharacters });
    }
    if (request.headers.authorization !== `Bearer ${FAKE_MASTODON_TOKEN}` || this.revoked) {
      const error = this.revoked ? 'The access token was revoked' : 'The access token is invalid';
      return send(response, 401, { error }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const dropped = this.dropping?.path === path && this.dropping.skip-- === 0;
    if (dropped) {
      this.dropping = undefined;
      // The request is carried out; its answer never leaves.
      const lost = Object.assign(Object.create(response) as ServerResponse, {
        writeHead: () => lost,
        end: () => {
          request.socket.destroy();
          return lost;
        },
      });
      return this.route(request.method ?? 'GET', path, body ?? {}, request.headers, lost);
    }
    return this.route(request.method ?? 'GET', path, body ?? {}, request.headers, response);
  }

  private route(
    method: string,
    path: string,
    body: Record<string, unknown>,
    headers: IncomingHttpHeaders,
    response: ServerResponse,
  ): ServerResponse {
    const [, resource, id, sub] = /^\/api\/v\d\/(\w+)(?:\/([^/]+))?(?:\/(\w+))?$/.exec(path) ?? [];
    if (method === 'GET' && resource === 'accounts' && id === 'verify_credentials') {
      return send(response, 200, accountJson(this.url, this.account.id, this.account.acct));
    }
    if (method === 'POST' && resource === 'media' && !id) {
      const mediaId = this.nextId();
      this.media.set(mediaId, { polls: this.mediaPolls, description: (body.description as string) ?? null });
      return this.sendMedia(response, mediaId, this.mediaPolls > 0 ? 202 : 200);
    }
    if (method === 'GET' && resource === 'media' && id && this.media.has(id)) {
      const media = this.media.get(id) as { polls: number };
      media.polls -= 1;
      return this.sendMedia(response, id, media.polls >= 0 ? 206 : 200);
    }
    if (method === 'POST' && resource === 'statuses' && !id) return this.post(body, headers, response);
    const status = id ? this.statuses.get(id) : undefined;
    if (!status || resource !== 'statuses') return send(response, 404, { error: 'Record not found' });
    if (method === 'GET' && sub === 'context') {
      return send(response, 200, { ancestors: [], descendants: this.descendants.get(status.id) ?? [] });
    }
    if (method === 'DELETE' && !sub) this.statuses.delete(status.id);
    if (method === 'PUT' && !sub) {
      status.text = String(body.status ?? status.text);
      status.edits = (status.edits ?? 0) + 1;
    }
    return send(response, 200, {
      ...statusJson(this.url, status),
      ...(method === 'DELETE' ? { text: status.text } : {}),
    });
  }

  private post(body: Record<string, unknown>, headers: IncomingHttpHeaders, response: ServerResponse): ServerResponse {
    const key = headers['idempotency-key'] as string | undefined;
    const known = key ? this.statuses.get(this.idempotency.get(key) ?? '') : undefined;
    if (known) return send(response, 200, statusJson(this.url, known));
    const text = String(body.status ?? '');
    if ([...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23))].length > this.maxCharacters) {
      return send(response, 422, {
        error: `Validation failed: Text character limit of ${this.maxCharacters} exceeded`,
      });
    }
    const status = this.newStatus(this.nextId(), body);
    this.statuses.set(status.id, status);
    if (key) this.idempotency.set(key, status.id);
    return send(response, 200, statusJson(this.url, status));
  }

  private newStatus(id: string, body: Record<string, unknown>): FakeStatus {
    const poll = body.poll as
      | { options: string[]; expires_in: string | number; multiple?: string | boolean }
      | undefined;
    return {
      id,
      text: String(body.status ?? ''),
      visibility: String(body.visibility ?? 'public'),
      spoiler_text: String(body.spoiler_text ?? ''),
      language: (body.language as string | undefined) ?? null,
      in_reply_to_id: (body.in_reply_to_id as string | undefined) ?? null,
      media_ids: (body.media_ids as string[] | undefined) ?? [],
      poll: poll
        ? { options: poll.options, expires_in: Number(poll.expires_in), multiple: String(poll.multiple) === 'true' }
        : null,
      favourites_count: 0,
      reblogs_count: 0,
      replies_count: 0,
      created_at: new Date().toISOString(),
      account: accountJson(this.url, this.account.id, this.account.acct),
    };
  }

  private sendMedia(response: ServerResponse, id: string, status: number): ServerResponse {
    const processed = status === 200;
    return send(response, status, {
      id,
      type: 'image',
      url: processed ? `${this.url}/system/media_attachments/${id}.png` : null,
      preview_url: `${this.url}/system/media_attachments/small/${id}.png`,
      remote_url: null,
      description: this.media.get(id)?.description ?? null,
      blurhash: null,
      meta: {},
    });
  }

  private nextId(): string {
    this.serial += 1n;
    return String(this.serial);
  }
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const type = request.headers['content-type'] ?? '';
  if (chunks.length === 0) return undefined;
  const bytes = Buffer.concat(chunks);
  if (type.startsWith('application/json')) return JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return unfoldForm(await new Response(bytes, { headers: { 'content-type': type } }).formData());
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ServerResponse {
  return response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}
