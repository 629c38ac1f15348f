// A fake DEV.to (Forem API v1) over real HTTP, for what the publishing plugin calls: POST and PUT
// /api/articles, GET /api/articles/me/all page by page, GET /api/users/me. It checks the api-key
// header, refuses as Forem does (`{"error": ..., "status": 422}`), rate-limits, fails or hangs on
// demand (any request, or the next of one method), loses an answer after acting on the request, and
// logs every request.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, ServerResponse } from 'node:http';
import { closeServer, listenLocally, readBody } from './local-server.js';

export const DEVTO_TEST_KEY = 'devto-test-key-0123456789abcdef';

export interface ForemRequestLog {
  method: string;
  /** With the query: `/api/articles/me/all?page=1&per_page=100`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** An article as Forem stores it; tests set the counts to what readers did. */
export interface ForemArticle {
  id: number;
  title: string;
  body_markdown: string;
  published: boolean;
  published_at: string | null;
  tags: string[];
  canonical_url: string | null;
  series: string | null;
  main_image: string | null;
  description: string;
  page_views_count: number;
  public_reactions_count: number;
  comments_count: number;
}

type Interruption = { status: number; body: string; headers?: Record<string, string> } | 'hang';
/** An interruption waits for the next request of its method, or for any request without one. */
type Pending = { interruption: Interruption; method?: Method };
type Method = 'GET' | 'POST' | 'PUT';

const WRITABLE = new Set('title body_markdown published tags canonical_url series main_image description'.split(' '));

export class FakeForem {
  readonly requests: ForemRequestLog[] = [];
  readonly articles = new Map<number, ForemArticle>();
  readonly user = { id: 4242, username: 'omnicore' };
  private readonly interruptions: Pending[] = [];
  private readonly dropping: Method[] = [];
  private server: Server | undefined;
  private serial = 100;
  url = '';

  constructor(readonly apiKey = DEVTO_TEST_KEY) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, 500, { error: `fake Forem failed: ${String(error)}`, status: 500 }),
      );
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** The next `count` requests (of `method` when given) are answered 429 with this Retry-After (none when null). */
  rateLimitNext(count: number, retryAfter: string | null = '30', method?: Method): void {
    const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': retryAfter };
    const body = JSON.stringify({ error: 'Rate limit reached, try again in 30 seconds', status: 429 });
    this.interrupt(count, { status: 429, body, headers }, method);
  }

  /** The next `count` requests (of `method` when given) fail with a 500 or 503, or are never answered. */
  failNext(count: number, failure: 500 | 503 | 'hang', method?: Method): void {
    this.interrupt(count, failure === 'hang' ? 'hang' : { status: failure, body: failureBody(failure) }, method);
  }

  /**
   * The next request of `method` (a create, by default) is carried out in full, then its connection is
   * cut before the answer leaves: the article exists, the caller never hears of it.
   */
  dropNextAnswer(method: Method = 'POST'): void {
    this.dropping.push(method);
  }

  /** The next request is answered with this status, raw body and headers, whatever it asked. */
  answerNext(status: number, body: string, headers: Record<string, string> = {}): void {
    this.interrupt(1, { status, body, headers });
  }

  /** A stored article, made as if by its author on DEV.to. */
  add(fields: Partial<ForemArticle> & { title: string }): ForemArticle {
    const article: ForemArticle = {
      ...{ id: ++this.serial, body_markdown: '', published: false, published_at: null, tags: [], description: '' },
      ...{ canonical_url: null, series: null, main_image: null },
      ...{ page_views_count: 0, public_reactions_count: 0, comments_count: 0 },
      ...fields,
    };
    if (article.published) article.published_at ??= new Date().toISOString();
    this.articles.set(article.id, article);
    return article;
  }

  private interrupt(count: number, interruption: Interruption, method?: Method): void {
    for (let i = 0; i < count; i += 1) this.interruptions.push({ interruption, ...(method ? { method } : {}) });
  }

  /** The first interruption waiting for a request of this method, taken off the list. */
  private interruptionFor(method: string): Interruption | undefined {
    const index = this.interruptions.findIndex((pending) => pending.method === undefined || pending.method === method);
    return index < 0 ? undefined : this.interruptions.splice(index, 1)[0]?.interruption;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { method = 'GET', url: path = '/', headers } = request;
    const raw = await readBody(request);
    this.requests.push({ method, path, headers, body: raw ? JSON.parse(raw) : undefined });
    const drop = this.dropping.indexOf(method as Method);
    if (drop < 0) return this.answer(request, response, raw);
    this.dropping.splice(drop, 1);
    // Answered into a response on no socket, the answer never leaves; the connection is then cut.
    await this.answer(request, new ServerResponse(request), raw);
    response.destroy();
  }

  private async answer(request: IncomingMessage, response: ServerResponse, raw: string): Promise<void> {
    const { method = 'GET', url: path = '/', headers } = request;
    const interruption = this.interruptionFor(method);
    if (interruption === 'hang') return;
    if (interruption) {
      response.writeHead(interruption.status, { 'content-type': 'application/json', ...interruption.headers });
      return void response.end(interruption.body);
    }
    if (headers['api-key'] !== this.apiKey) return refuse(response, 401, 'unauthorized');
    const url = new URL(path, 'http://fake');
    const id = /^\/api\/articles\/(\d+)$/.exec(url.pathname)?.[1];
    if (method === 'GET' && url.pathname === '/api/users/me') {
      return send(response, 200, { type_of: 'user', ...this.user, name: 'OMNICore', joined_at: 'Nov 30, 2026' });
    }
    if (method === 'GET' && url.pathname === '/api/articles/me/all') return this.mine(url.searchParams, response);
    if (method === 'POST' && url.pathname === '/api/articles') return this.write(undefined, raw, response);
    if (method === 'PUT' && id) return this.write(this.articles.get(Number(id)) ?? null, raw, response);
    return refuse(response, 404, 'not found');
  }

  /** Newest first as Forem orders them: published_at descending (drafts, without one, first), then newest made. */
  private mine(query: URLSearchParams, response: ServerResponse) {
    const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, 1000);
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    const when = (article: ForemArticle) => article.published_at ?? '\uffff';
    const sorted = [...this.articles.values()].sort((a, b) =>
      when(a) === when(b) ? b.id - a.id : when(a) < when(b) ? 1 : -1,
    );
    const shown = sorted.slice((page - 1) * perPage, page * perPage);
    send(
      response,
      200,
      shown.map((article) => this.view(article, true)),
    );
  }

  /** POST (no article yet) or PUT (null: none with that id). */
  private write(existing: ForemArticle | null | undefined, raw: string, response: ServerResponse) {
    if (existing === null) return refuse(response, 404, 'not found');
    const fields = (JSON.parse(raw || '{}') as { article?: unknown }).article;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      return refuse(response, 422, 'article param must be a JSON object');
    }
    const change = Object.fromEntries(Object.entries(fields).filter(([key]) => WRITABLE.has(key)));
    const title = 'title' in change ? change.title : existing?.title;
    if (typeof title !== 'string' || title.trim() === '') return refuse(response, 422, "Title can't be blank");
    if (Array.isArray(change.tags) && change.tags.length > 4) {
      return refuse(response, 422, 'Tag list exceed the maximum of 4 tags');
    }
    const article = existing ?? this.add({ title });
    Object.assign(article, change);
    if (article.published) article.published_at ??= new Date().toISOString();
    send(response, existing ? 200 : 201, this.view(article, false));
  }

  /**
   * Forem's two views of an article: the public one POST and PUT answer with (no `published`, no view
   * count, `published_timestamp` "" for a draft), and the owner's one GET /api/articles/me/all lists.
   */
  private view(article: ForemArticle, owner: boolean) {
    const slug = `${article.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${article.id.toString(36)}`;
    const url = `https://dev.to/${this.user.username}/${slug}`;
    return {
      type_of: 'article',
      id: article.id,
      title: article.title,
      description: article.description,
      slug,
      path: `/${this.user.username}/${slug}`,
      url,
      published_at: article.published_at,
      comments_count: article.comments_count,
      public_reactions_count: article.public_reactions_count,
      positive_reactions_count: article.public_reactions_count,
      canonical_url: article.canonical_url ?? url,
      cover_image: article.main_image,
      body_markdown: article.body_markdown,
      user: { name: 'OMNICore', username: this.user.username, user_id: this.user.id },
      ...(owner
        ? { published: article.published, page_views_count: article.page_views_count, tag_list: article.tags }
        : {
            published_timestamp: article.published ? (article.published_at ?? '') : '',
            tag_list: article.tags.join(', '),
            tags: article.tags,
          }),
    };
  }
}

function failureBody(status: 500 | 503): string {
  return status === 500
    ? JSON.stringify({ error: 'Internal Server Error', status })
    : '<html>Service Unavailable</html>';
}

function refuse(response: ServerResponse, status: number, error: string): void {
  send(response, status, { error, status });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
