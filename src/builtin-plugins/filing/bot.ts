// The filing system in Telegram: /files to browse, /file to file the replied-to message, /unfile,
// /find within a folder, /mkdir, /role and /export. A user without any role is told "not allowed"
// whatever they ask; a path outside their part of the tree is answered as if it did not exist.
import { InputFile } from 'grammy';
import { OmniError, type PluginBotContext, type PluginContext } from '../../plugins/api.js';
import type { ContentItem, ContentStore, Reader, SavableMessage } from '../content/service.js';
import { readAll } from './archive.js';
import { BROWSE_CALLBACK, type BrowseDeps, escapeHtml, parsePlace, topView, unitView, type View } from './browse.js';
import type { FilingConfig } from './config.js';
import type { Actor, AuditEntry, FilingDesk } from './desk.js';
import { exportUnits } from './export.js';
import type { FilingBook } from './filings.js';
import { may, topUnits, unitLabel } from './roles.js';
import type { FilingKey } from './strings.js';
import { checkRole, pathOf, resolvePath, subtreeOf, type Tree, type Unit } from './tree.js';

type Filing = PluginContext<FilingConfig, FilingKey>;
type Chat = PluginBotContext<FilingKey>;

/** What a bot may send as a document. */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
const FIND_LIMIT = 10;

export interface BotDeps {
  ctx: Filing;
  desk: FilingDesk;
  store: ContentStore;
  filings: FilingBook;
  /** Writes an audit entry for a change made from the bot by `actor` (`telegram:<id>`). */
  audit(actor: string, action: string, entry: AuditEntry): Promise<void>;
}

/** The unit a path names, when the reader may view it: otherwise it is reported as missing. */
function locate(tree: Tree, reader: Reader, path: string): Unit {
  const unit = resolvePath(tree, path);
  if (!unit || !may(tree, reader, unit.id, 'view')) throw new OmniError('FILING_NOT_FOUND', path);
  return unit;
}

/** `/cmd first rest…` as words. */
const words = (c: Chat): string[] =>
  String(c.match ?? '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);

export function filingBot({ ctx, desk, store, filings, audit }: BotDeps): void {
  const readerOf = (c: Chat): Reader => ({ userId: c.from?.id ?? 0, isAdmin: ctx.isAdmin(c) });
  const actorOf = (c: Chat): Actor => {
    const reader = readerOf(c);
    return { reader, audit: (action, entry) => audit(`telegram:${reader.userId}`, action, entry) };
  };

  /** The tree, when the sender holds a role (or is an admin); otherwise they are told "not allowed". */
  async function memberTree(c: Chat): Promise<Tree | undefined> {
    const tree = await desk.read();
    const reader = readerOf(c);
    if (reader.isAdmin || topUnits(tree, reader).length > 0) return tree;
    await c.reply(c.t('noRole', { id: reader.userId }));
    return undefined;
  }

  /** Runs a command's work; the filing system's refusals become sentences for the user. */
  const handled =
    (work: (c: Chat, tree: Tree) => Promise<unknown>) =>
    async (c: Chat): Promise<unknown> => {
      const tree = await memberTree(c);
      if (!tree) return;
      try {
        return await work(c, tree);
      } catch (error) {
        if (!(error instanceof OmniError)) throw error;
        const detail = error.message.split(': ').slice(1).join(': ');
        if (error.code === 'FILING_NOT_FOUND') return c.reply(c.t('unknownPath', { path: detail }));
        if (error.code === 'FILING_NOT_ALLOWED') return c.reply(c.t('notAllowedHere', { path: detail }));
        if (error.code === 'FILING_CONFLICT' || error.code === 'FILING_INVALID') {
          return c.reply(c.t('refused', { reason: detail }));
        }
        throw error;
      }
    };

  const browseDeps = (c: Chat, tree: Tree): BrowseDeps => ({
    tree,
    store,
    reader: readerOf(c),
    t: c.t.bind(c),
    pageSize: ctx.config.pageSize,
  });
  const markup = (view: View) => ({ parse_mode: 'HTML' as const, reply_markup: { inline_keyboard: view.keyboard } });

  ctx.command(
    'files',
    'Browse your folders (/files <path> opens one)',
    handled(async (c, tree) => {
      const path = String(c.match ?? '').trim();
      const deps = browseDeps(c, tree);
      const view = path ? await unitView(deps, locate(tree, deps.reader, path).id, 0) : topView(deps, 0);
      return c.reply(view.text, markup(view));
    }),
  );

  ctx.composer.callbackQuery(BROWSE_CALLBACK, async (c) => {
    const tree = await desk.read();
    const place = parsePlace(c.match as RegExpMatchArray);
    const deps = browseDeps(c, tree);
    const allowed =
      place.unit === undefined
        ? topUnits(tree, deps.reader).length > 0 || deps.reader.isAdmin
        : may(tree, deps.reader, place.unit, 'view');
    // A unit gone, or never the presser's to see (a forged button): the same answer, nothing shown.
    if (!allowed) return c.answerCallbackQuery({ text: c.t('notAllowed') });
    const view = place.unit === undefined ? topView(deps, place.page) : await unitView(deps, place.unit, place.page);
    await c.answerCallbackQuery();
    return c.editMessageText(view.text, markup(view));
  });

  ctx.command(
    'file',
    'File the message you reply to (/file <path>), or a saved item (/file <path> <item id>)',
    handled(async (c, tree) => {
      const [path, id] = words(c);
      const replied = c.message?.reply_to_message;
      if (!path || (!replied && !id)) return c.reply(c.t('fileUsage'));
      const reader = readerOf(c);
      const unit = locate(tree, reader, path);
      if (!may(tree, reader, unit.id, 'file')) throw new OmniError('FILING_NOT_ALLOWED', pathOf(tree, unit.id));
      let item: ContentItem;
      if (replied) {
        // Private to the filer: who else sees it follows the folder it is filed in.
        item = await store.saveMessage(replied as unknown as SavableMessage, {
          owner: reader.userId,
          visibility: 'private',
        });
      } else {
        const found = await store.get(String(id).toLowerCase(), reader);
        if (!found) return c.reply(c.t('noItem', { id: String(id) }));
        // Filing shows an item to the folder's viewers: that is its owner's choice to make.
        if (found.owner !== reader.userId && !reader.isAdmin) return c.reply(c.t('notOwner', { id: found.id }));
        item = found;
      }
      const added = await desk.file(actorOf(c), unit.id, item.id);
      const params = { title: item.title, path: pathOf(tree, unit.id), id: item.id };
      return c.reply(c.t(added ? 'filed' : 'alreadyFiled', params));
    }),
    { sideEffects: true },
  );

  ctx.command(
    'unfile',
    'Take an item out of a folder: /unfile <path> <item id>',
    handled(async (c, tree) => {
      const [path, id] = words(c);
      if (!path || !id) return c.reply(c.t('unfileUsage'));
      const unit = locate(tree, readerOf(c), path);
      const removed = await desk.unfile(actorOf(c), unit.id, id);
      return c.reply(c.t(removed ? 'unfiled' : 'notFiled', { id, path: pathOf(tree, unit.id) }));
    }),
    { sideEffects: true },
  );

  ctx.command(
    'find',
    'Search a folder and what is under it: /find <path> <words>',
    handled(async (c, tree) => {
      const [first = '', ...rest] = words(c);
      const reader = readerOf(c);
      const named = resolvePath(tree, first);
      const scoped = named !== undefined && may(tree, reader, named.id, 'view') && rest.length > 0;
      if (!scoped && (first === '' || first.includes('/'))) {
        return first.includes('/') ? c.reply(c.t('unknownPath', { path: first })) : c.reply(c.t('findUsage'));
      }
      const units = scoped ? subtreeOf(tree, (named as Unit).id) : Object.values(tree.units);
      const within = units.filter((unit) => may(tree, reader, unit.id, 'view')).map((unit) => unitLabel(unit.id));
      const text = (scoped ? rest : [first, ...rest]).join(' ');
      const where = scoped ? pathOf(tree, (named as Unit).id) : c.t('everywhere');
      const { hits } = await store.search(reader, { text, within, limit: FIND_LIMIT });
      if (hits.length === 0) return c.reply(c.t('findNone', { path: where, words: text }));
      const lines = hits.map((hit) => {
        const snippet = hit.snippet.map((part) =>
          part.match ? `<b>${escapeHtml(part.text)}</b>` : escapeHtml(part.text),
        );
        const head = `• <b>${escapeHtml(hit.title)}</b> — <code>/get ${hit.id}</code>`;
        // A short item's snippet is its title again: shown once.
        const same =
          hit.snippet
            .map((part) => part.text)
            .join('')
            .trim() === hit.title;
        return same ? head : `${head}\n${snippet.join('')}`;
      });
      return c.reply([escapeHtml(c.t('findHeading', { path: where })), ...lines].join('\n\n'), { parse_mode: 'HTML' });
    }),
  );

  ctx.command(
    'mkdir',
    'Make a folder: /mkdir <path of the parent> <name>',
    handled(async (c, tree) => {
      const [parentPath, ...name] = words(c);
      if (!parentPath || name.length === 0) return c.reply(c.t('mkdirUsage'));
      const parent = parentPath === '/' ? null : locate(tree, readerOf(c), parentPath).id;
      const unit = await desk.create(actorOf(c), parent, { name: name.join(' ') });
      return c.reply(c.t('made', { path: pathOf(await desk.read(), unit.id) }));
    }),
    { sideEffects: true },
  );

  ctx.command(
    'role',
    'Give someone a role on a unit you own: /role <path> <user id> <owner|editor|viewer|none>',
    handled(async (c, tree) => {
      const [path, user, role] = words(c);
      const userId = Number(user);
      if (!path || !role || !/^[1-9]\d{0,15}$/.test(user ?? '')) return c.reply(c.t('roleUsage'));
      const unit = locate(tree, readerOf(c), path);
      const params = { user: userId, path: pathOf(tree, unit.id), role };
      if (role === 'none') {
        await desk.removeMember(actorOf(c), unit.id, userId);
        return c.reply(c.t('roleRemoved', params));
      }
      await desk.setRole(actorOf(c), unit.id, userId, checkRole(role));
      return c.reply(c.t('roleSet', params));
    }),
    { sideEffects: true },
  );

  ctx.command(
    'export',
    'A folder (or all yours) as a tar.gz of Markdown files: /export [path]',
    handled(async (c, tree) => {
      const [path] = words(c);
      const reader = readerOf(c);
      const unit = path ? locate(tree, reader, path) : undefined;
      const made = exportUnits({ tree, store, filings, reader }, unit?.id);
      const where = unit ? pathOf(tree, unit.id) : c.t('everywhere');
      let bytes: Buffer;
      try {
        bytes = await readAll(made.stream, MAX_DOCUMENT_BYTES);
      } catch (error) {
        if (error instanceof RangeError) return c.reply(c.t('exportTooLarge', { path: where }));
        throw error;
      }
      return c.replyWithDocument(new InputFile(bytes, made.fileName), {
        caption: c.t('exportCaption', { path: where, count: made.count.items }),
      });
    }),
  );
}
