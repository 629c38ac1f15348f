// Inline mode: "@bot words" in any chat lists the items the user may see that match (their newest
// without words), a page at a time (next_offset), photos and documents as Telegram's cached files.
// Answers are personal and not cached: who asks decides what is found.
import type { InlineQueryResult } from 'grammy/types';
import type { PluginContext } from '../../plugins/api.js';
import { readerOf } from './commands.js';
import type { ContentConfig } from './config.js';
import { parseQueryWords } from './query-words.js';
import { fitMessage, snippetText } from './render.js';
import type { ContentHit } from './service.js';
import type { Store } from './store.js';
import type { ContentKey } from './strings.js';

const PAGE = 20;
/** Telegram's limit for an inline result's description and a caption. */
const DESCRIPTION_LIMIT = 200;
const CAPTION_LIMIT = 1024;
const MAX_OFFSET = 10_000;

export function inlineSearch(ctx: PluginContext<ContentConfig, ContentKey>, store: Store): void {
  ctx.composer.on('inline_query', async (c) => {
    const reader = readerOf(ctx, c);
    const offset = Number.parseInt(c.inlineQuery.offset, 10);
    const from = Number.isInteger(offset) && offset >= 0 && offset <= MAX_OFFSET ? offset : 0;
    const { mine, ...query } = parseQueryWords(c.inlineQuery.query);
    // Embeddings are left out here: one call a keystroke would cost more than it finds.
    const page = await store.search(
      reader,
      { ...query, ...(mine && reader ? { owner: reader.userId } : {}), limit: PAGE, offset: from },
      { semantic: false },
    );
    const results = await Promise.all(page.hits.map((hit) => result(store, hit, c.t('cut'))));
    return c.answerInlineQuery(results, {
      cache_time: 0,
      is_personal: true,
      ...(page.next !== undefined ? { next_offset: String(page.next) } : {}),
    });
  });
}

async function result(store: Store, hit: ContentHit, cut: string): Promise<InlineQueryResult> {
  const description = snippetText(hit.snippet).trim().slice(0, DESCRIPTION_LIMIT);
  const caption = hit.title.slice(0, CAPTION_LIMIT);
  if (hit.kind === 'photo' && hit.file) {
    return { type: 'photo', id: hit.id, photo_file_id: hit.file.fileId, title: hit.title, description, caption };
  }
  if (hit.kind === 'document' && hit.file) {
    return { type: 'document', id: hit.id, document_file_id: hit.file.fileId, title: hit.title, description, caption };
  }
  const text = (await store.text(hit.id)) || hit.title;
  return {
    type: 'article',
    id: hit.id,
    title: hit.title,
    ...(description ? { description } : {}),
    input_message_content: { message_text: fitMessage(text, cut), link_preview_options: { is_disabled: true } },
  };
}
