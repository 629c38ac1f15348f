// The content store in the chat: /save (a reply, or a text), forwards kept as they arrive, /search
// with filters and pages of results, /get and /delete. Every read goes through the store with the
// asker as reader, so what they may not see is never found, shown or named.
import { InlineKeyboard } from 'grammy';
import type { PluginBotContext, PluginContext } from '../../plugins/api.js';
import type { ContentConfig } from './config.js';
import { parseQueryWords } from './query-words.js';
import { escapeHtml, fitHtml, hitHtml } from './render.js';
import type { ContentItem, Reader, SavableMessage, Visibility } from './service.js';
import { formatBytes, normaliseTags, type Store, TooLargeError } from './store.js';
import type { ContentKey } from './strings.js';

type Ctx = PluginContext<ContentConfig, ContentKey>;
type Chat = PluginBotContext<ContentKey>;

const PAGE = 5;
const VISIBILITIES: readonly Visibility[] = ['private', 'team', 'public'];
export const OPEN_CALLBACK = /^content:get:([a-z0-9]{1,32})$/;
const MORE_CALLBACK = /^content:more:(\d{1,5})$/;

export function readerOf(ctx: Ctx, c: Chat): Reader | undefined {
  return c.from ? { userId: c.from.id, isAdmin: ctx.isAdmin(c) } : undefined;
}

export function contentCommands(ctx: Ctx, store: Store): void {
  ctx.command('save', 'Keep a message (reply to it) or a text; add #tags, team or public', (c) => save(ctx, store, c), {
    sideEffects: true,
  });

  ctx.composer.on('message', async (c, next) => {
    if (!c.message.forward_origin || c.chat.type !== 'private' || !ctx.config.saveForwards) return next();
    return saveAndTell(store, c, c.message, { tags: [], visibility: ctx.config.defaultVisibility });
  });

  ctx.command('search', 'Find saved items: words, #tags, type:link, mine, after:2026-01-31', async (c) => {
    const reader = readerOf(ctx, c);
    const words = String(c.match ?? '').trim();
    if (!reader || !words) return c.reply(c.t('searchHow'));
    await ctx.storage.set(`query:${reader.userId}`, words);
    return showResults(store, c, reader, words, 0);
  });

  ctx.composer.callbackQuery(MORE_CALLBACK, async (c) => {
    const reader = readerOf(ctx, c);
    const words = reader ? await ctx.storage.get<string>(`query:${reader.userId}`) : undefined;
    await c.answerCallbackQuery();
    if (!reader || !words) return c.reply(c.t('searchHow'));
    return showResults(store, c, reader, words, Number(c.match[1]));
  });

  ctx.command('get', 'Show a saved item by its id', async (c) => {
    const id = String(c.match ?? '')
      .trim()
      .toLowerCase();
    if (!id) return c.reply(c.t('getHow'));
    return showItem(store, c, readerOf(ctx, c), id);
  });

  ctx.composer.callbackQuery(OPEN_CALLBACK, async (c) => {
    await c.answerCallbackQuery();
    return showItem(store, c, readerOf(ctx, c), c.match[1] ?? '');
  });

  ctx.command(
    'delete',
    'Delete an item of yours by its id',
    async (c) => {
      const id = String(c.match ?? '')
        .trim()
        .toLowerCase();
      const reader = readerOf(ctx, c);
      if (!id || !reader) return c.reply(c.t('deleteHow'));
      const item = await store.get(id, reader);
      if (!item) return c.reply(c.t('notFound', { id }));
      if (!store.mayChange(item, reader)) return c.reply(c.t('notYours', { id }));
      await store.remove(id);
      return c.reply(c.t('deleted', { id }));
    },
    { sideEffects: true },
  );
}

async function save(ctx: Ctx, store: Store, c: Chat) {
  const message = c.message;
  if (!message || !c.from) return;
  const options = { tags: [] as string[], visibility: ctx.config.defaultVisibility as Visibility };
  // Leading words that are a visibility or #tags are options; the rest, as written, is the text.
  let rest = String(c.match ?? '').trimStart();
  for (let word = /^\S+/.exec(rest)?.[0]; word; word = /^\S+/.exec(rest)?.[0]) {
    const lower = word.toLowerCase();
    if ((VISIBILITIES as readonly string[]).includes(lower)) options.visibility = lower as Visibility;
    else if (word.startsWith('#') && word.length > 1) options.tags.push(word);
    else break;
    rest = rest.slice(word.length).trimStart();
  }
  const replied = message.reply_to_message;
  if (replied) return saveAndTell(store, c, replied, options);
  const text = rest.trimEnd();
  if (!text) return c.reply(c.t('saveHow'));
  return saveAndTell(store, c, ownText(message, text), options);
}

/** The message with only `text` of it, its entities moved to match. */
function ownText(message: SavableMessage & { text?: string }, text: string): SavableMessage {
  const whole = message.text ?? '';
  const start = whole.lastIndexOf(text);
  const entities = (message.entities ?? [])
    .filter((entity) => entity.offset >= start)
    .map((entity) => ({ ...entity, offset: entity.offset - start }));
  return { ...message, text, entities };
}

async function saveAndTell(
  store: Store,
  c: Chat,
  message: SavableMessage,
  options: { tags: string[]; visibility: Visibility },
) {
  if (!c.from) return;
  try {
    const item = await store.saveMessage(message, { owner: c.from.id, language: c.language, ...options });
    return c.reply(savedText(c, item, options.tags));
  } catch (error) {
    if (error instanceof TooLargeError) return c.reply(c.t('tooLarge', { limit: formatBytes(error.limit) }));
    throw error;
  }
}

function savedText(c: Chat, item: ContentItem, tags: readonly string[]): string {
  const visibility = c.t(item.visibility);
  if (normaliseTags(tags).length === 0) return c.t('saved', { id: item.id, visibility });
  return c.t('savedTags', { id: item.id, visibility, tags: item.tags.map((tag) => `#${tag}`).join(' ') });
}

async function showResults(store: Store, c: Chat, reader: Reader, words: string, offset: number) {
  const { mine, ...query } = parseQueryWords(words);
  const page = await store.search(reader, { ...query, ...(mine ? { owner: reader.userId } : {}), limit: PAGE, offset });
  if (page.hits.length === 0) return c.reply(c.t('noHits'));
  const heading = c.t('found', { count: page.hits.length, from: offset + 1, to: offset + page.hits.length });
  const text = [heading, ...page.hits.map((hit, index) => hitHtml(hit, offset + index + 1))].join('\n\n');
  const keyboard = new InlineKeyboard();
  for (const [index, hit] of page.hits.entries()) keyboard.text(String(offset + index + 1), `content:get:${hit.id}`);
  if (page.next !== undefined) keyboard.row().text(c.t('more'), `content:more:${page.next}`);
  const reply = { parse_mode: 'HTML' as const, reply_markup: keyboard, link_preview_options: { is_disabled: true } };
  return c.reply(text, reply);
}

async function showItem(store: Store, c: Chat, reader: Reader | undefined, id: string) {
  const item = await store.get(id, reader);
  if (!item) return c.reply(c.t('notFound', { id: escapeHtml(id) }));
  const caption = `${item.title}\n${item.id}${item.tags.length ? ` · ${item.tags.map((tag) => `#${tag}`).join(' ')}` : ''}`;
  if (item.kind === 'photo' && item.file)
    return c.replyWithPhoto(item.file.fileId, { caption: caption.slice(0, 1024) });
  if (item.kind === 'document' && item.file)
    return c.replyWithDocument(item.file.fileId, { caption: caption.slice(0, 1024) });
  const text = (await store.text(id, reader)) ?? '';
  const head = `<b>${escapeHtml(item.title)}</b>\n<code>${item.id}</code> · ${item.kind}${item.source ? ` · ${escapeHtml(item.source)}` : ''}`;
  return c.reply(fitHtml(`${head}\n\n`, text, c.t('cut')), { parse_mode: 'HTML' });
}
