// The DEV.to client the publishing plugin uses: Forem API v1 over fetch, one account per client.
import { foremArticle } from './article-fields.js';
import { me, myArticles, shownArticle } from './forem-answers.js';
import { callForem, type ForemConnection } from './forem-call.js';
import type { ArticleDraft, DevtoAccount, DevtoArticle, DevtoClient } from './types.js';

export interface DevtoClientOptions {
  /** Per request, the answer's body included. */
  timeoutMs?: number;
  /** Articles asked for per page by `mine()`: Forem's own maximum is 1000. */
  pageSize?: number;
}

const TIMEOUT_MS = 15_000;
const PAGE_SIZE = 100;
const MINE_MAX = 1000;

export function devtoClient(account: DevtoAccount, options: DevtoClientOptions = {}): DevtoClient {
  const connection: ForemConnection = {
    account,
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
  };
  const pageSize = options.pageSize ?? PAGE_SIZE;

  // Async, so that a change refused before sending (tags, size) rejects like any other failure.
  const write = async (
    what: string,
    method: 'POST' | 'PUT',
    path: string,
    change: Partial<ArticleDraft>,
    signal?: AbortSignal,
  ): Promise<DevtoArticle> =>
    callForem(connection, what, { method, path, body: foremArticle(change), signal }, shownArticle);

  return {
    me: (signal) => callForem(connection, 'the user lookup', { method: 'GET', path: '/api/users/me', signal }, me),
    create: (draft, signal) => write('create article', 'POST', '/api/articles', draft, signal),
    update: (id, change, signal) => write(`update article ${id}`, 'PUT', `/api/articles/${id}`, change, signal),
    unpublish: (id, signal) =>
      write(`unpublish article ${id}`, 'PUT', `/api/articles/${id}`, { published: false }, signal),

    async mine({ max = MINE_MAX, signal } = {}) {
      const articles: DevtoArticle[] = [];
      for (let page = 1; articles.length < max; page += 1) {
        const path = `/api/articles/me/all?page=${page}&per_page=${pageSize}`;
        const batch = await callForem(
          connection,
          `my articles page ${page}`,
          { method: 'GET', path, signal },
          myArticles,
        );
        articles.push(...batch);
        if (batch.length < pageSize) break;
      }
      return articles.slice(0, max);
    },
  };
}
