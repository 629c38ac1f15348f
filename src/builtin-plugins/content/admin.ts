// The content store in the admin panel: search every item (admins see all), view one with its
// text, edit its tags, delete it; and what the store takes on disk, with its compression ratio.
import { z } from 'zod';
import type { PluginAdmin, PluginSearch } from '../../plugins/api.js';
import { KINDS } from './item-record.js';
import type { Store } from './store.js';

const PAGE = 20;

const listQuery = z.object({
  q: z.string().max(200).optional(),
  tag: z.string().max(40).optional(),
  kind: z.enum(KINDS).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(0).max(400).default(0),
});
const itemParams = z.object({ id: z.string().regex(/^[a-z0-9]{1,32}$/) });
const tagsBody = z.object({ tags: z.string().max(1000).default('') });

export function contentAdmin(
  admin: PluginAdmin,
  store: Store,
  search: PluginSearch,
  stats: () => Promise<StoreStats>,
): void {
  admin.page({
    path: 'items',
    title: 'Content',
    icon: 'fa-box-archive',
    view: 'views/items.eta',
    input: { query: listQuery },
    data: async ({ query }) => {
      const page = await store.search(
        undefined,
        {
          ...(query.q ? { text: query.q } : {}),
          ...(query.tag ? { tags: [query.tag] } : {}),
          ...(query.kind ? { kind: query.kind } : {}),
          limit: PAGE,
          offset: query.page * PAGE,
        },
        { semantic: false },
      );
      return { filters: query, hits: page.hits, next: page.next !== undefined, stats: await stats(), kinds: KINDS };
    },
  });

  admin.page({
    path: 'items/:id',
    title: 'Item',
    view: 'views/item.eta',
    input: { params: itemParams },
    data: async ({ params, fail }) => {
      const item = await store.get(params.id);
      if (!item) return fail(404, `no item ${params.id}`);
      return { item, text: (await store.text(params.id)) ?? '' };
    },
  });

  admin.route(
    'POST',
    'items/:id/tags',
    { params: itemParams, body: tagsBody },
    async ({ params, body, audit, fail }) => {
      const tags = body.tags.split(/[\s,]+/).filter(Boolean);
      if (!(await store.setTags(params.id, tags))) return fail(404, `no item ${params.id}`);
      await audit('tags', { target: params.id, details: { tags } });
      return { ok: true, tags: (await search.get(params.id))?.tags ?? [] };
    },
  );

  admin.route('DELETE', 'items/:id', { params: itemParams }, async ({ params, audit, fail }) => {
    if (!(await store.remove(params.id))) return fail(404, `no item ${params.id}`);
    await audit('delete', { target: params.id });
  });

  admin.route('GET', 'stats', () => stats());
}

export interface StoreStats {
  items: number;
  /** Bytes as saved (texts and kept files), and as stored. */
  bytes: number;
  storedBytes: number;
  /** bytes / storedBytes; 1 when nothing is stored. */
  ratio: number;
}
