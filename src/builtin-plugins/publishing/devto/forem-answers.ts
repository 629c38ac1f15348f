// What Forem API v1 answers, as zod schemas turned into our DevtoArticle. Forem shows an article two
// ways: POST/PUT answer its public view (no `published`, no view count; `published_timestamp` is ""
// while it is a draft), GET /api/articles/me/all its owner's view (with both).
import { z } from 'zod';
import type { DevtoArticle } from './types.js';

const article = z.object({
  id: z.number().int(),
  title: z.string(),
  url: z.string(),
  published_at: z.string().nullable(),
  public_reactions_count: z.number(),
  comments_count: z.number(),
});

/** The answer to POST and PUT /api/articles. Views are not in it: 0 here, the real count from `mine()`. */
export const shownArticle = article.extend({ published_timestamp: z.string() }).transform(
  (shown): DevtoArticle => ({
    ...counted(shown),
    published: shown.published_timestamp !== '',
    pageViews: 0,
  }),
);

/** One page of GET /api/articles/me/all. */
export const myArticles = z.array(
  article.extend({ published: z.boolean(), page_views_count: z.number() }).transform(
    (mine): DevtoArticle => ({
      ...counted(mine),
      published: mine.published,
      pageViews: mine.page_views_count,
    }),
  ),
);

/** GET /api/users/me. */
export const me = z.object({ id: z.number().int(), username: z.string() });

function counted(shown: z.infer<typeof article>) {
  return {
    id: shown.id,
    title: shown.title,
    url: shown.url,
    publishedAt: shown.published_at,
    reactions: shown.public_reactions_count,
    comments: shown.comments_count,
  };
}
