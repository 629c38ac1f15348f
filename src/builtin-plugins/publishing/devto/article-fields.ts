// An article as Forem's POST/PUT /api/articles take it, refusing before sending what DEV.to is known
// to refuse: more than 4 tags, a tag with no letter or digit, a body over Forem's 800 KB.
import { PublishFailure } from '../failure.js';
import type { ArticleDraft } from './types.js';

export const MAX_TAGS = 4;
/** Forem's `validates :body_markdown, bytesize: { maximum: 800.kilobytes }`: bytes, not characters. */
export const MAX_BODY_BYTES = 800 * 1024;

/** `{ article: {...} }` with the fields given, in Forem's names; a field left out is left as it is. */
export function foremArticle(change: Partial<ArticleDraft>): { article: Record<string, unknown> } {
  const article: Record<string, unknown> = {};
  if (change.title !== undefined) article.title = change.title;
  if (change.bodyMarkdown !== undefined) article.body_markdown = checkedBody(change.bodyMarkdown);
  if (change.published !== undefined) article.published = change.published;
  if (change.tags !== undefined) article.tags = normaliseTags(change.tags);
  if (change.canonicalUrl !== undefined) article.canonical_url = change.canonicalUrl;
  if (change.series !== undefined) article.series = change.series;
  if (change.mainImage !== undefined) article.main_image = change.mainImage;
  if (change.description !== undefined) article.description = change.description;
  return { article };
}

/**
 * DEV.to tags are lower-case letters and digits: `#TypeScript` and `type-script` both become
 * `typescript`. Duplicates after that count once.
 */
export function normaliseTags(tags: readonly string[]): string[] {
  const normalised = tags.map((tag) => {
    const name = tag.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (!name) throw new PublishFailure('refused', `the tag "${tag}" has no letter or digit DEV.to would keep`);
    return name;
  });
  const unique = [...new Set(normalised)];
  if (unique.length > MAX_TAGS) {
    throw new PublishFailure('refused', `DEV.to takes at most ${MAX_TAGS} tags; this article has ${unique.length}`);
  }
  return unique;
}

function checkedBody(markdown: string): string {
  const bytes = Buffer.byteLength(markdown, 'utf8');
  if (bytes > MAX_BODY_BYTES) {
    throw new PublishFailure('refused', `the article is ${bytes} bytes; DEV.to takes at most ${MAX_BODY_BYTES}`);
  }
  return markdown;
}
