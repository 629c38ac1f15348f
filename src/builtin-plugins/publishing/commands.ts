// Publishing from the chat: /post (a text, or an answer to a message or photo), /schedule, /queue
// with buttons to retry, cancel or take down, and /publish of a content item to DEV.to. Only the
// bot's admins and the configured posters may use them.
import { InlineKeyboard } from 'grammy';
import type { JobInfo, PluginBotContext, PluginContext } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import type { Account, Accounts, Service } from './accounts.js';
import { articleTitle } from './article-jobs.js';
import { type PostOptions, parsePost, splitAltText, statusText } from './compose.js';
import type { PublishingConfig } from './config.js';
import { describeJob, KINDS, type Queue } from './queue.js';
import type { MediaRef, StatusJob } from './status-jobs.js';
import type { PublishingKey } from './strings.js';
import { parseWhen } from './when.js';

type Ctx = PluginContext<PublishingConfig, PublishingKey>;
type Chat = PluginBotContext<PublishingKey>;

const YEAR_MS = 366 * 86_400_000;
const JOB_ACTION = /^publishing:(retry|cancel|remove):([A-Za-z0-9_-]{1,40})$/;

export function publishingCommands(ctx: Ctx, accounts: Accounts, queue: Queue, content: () => ContentStore): void {
  const allowed = (c: Chat) => ctx.isAdmin(c) || (c.from !== undefined && ctx.config.posters.includes(c.from.id));
  const command = (name: string, description: string, handler: (c: Chat) => unknown) =>
    ctx.command(name, description, (c) => (allowed(c) ? handler(c) : c.reply(c.t('notAllowed'))), {
      sideEffects: true,
    });

  command('post', 'Post to Mastodon: a text, or answer a message or photo', async (c) => {
    const draft = await statusDraft(ctx, accounts, c, String(c.match ?? ''));
    if (!draft) return;
    const job = await queue.status(draft.job);
    return c.reply(c.t('queued', { id: job.id, account: draft.account.label }));
  });

  command('schedule', 'Post to Mastodon later: /schedule <when> <text>', async (c) => {
    const when = parseWhen(String(c.match ?? ''), Date.now());
    if (!when) return c.reply(c.t('scheduleHow'));
    if (when.at <= Date.now()) return c.reply(c.t('inPast'));
    if (when.at > Date.now() + YEAR_MS) return c.reply(c.t('tooFar'));
    const draft = await statusDraft(ctx, accounts, c, when.rest);
    if (!draft) return;
    const job = await queue.status(draft.job, { at: when.at });
    const shown = new Date(when.at).toISOString().slice(0, 16).replace('T', ' ');
    return c.reply(c.t('scheduled', { id: job.id, when: shown, account: draft.account.label }));
  });

  command('queue', 'What waits to be posted, and what failed', async (c) => {
    const { jobs } = await ctx.jobs.list({ status: ['queued', 'running', 'failed'], limit: 10 });
    const recent = await ctx.jobs.list({ status: 'done', limit: 5 });
    const shown = [...jobs, ...recent.jobs];
    if (shown.length === 0) return c.reply(c.t('queueEmpty'));
    const keyboard = new InlineKeyboard();
    for (const job of shown) {
      const action = buttonFor(job);
      if (action) keyboard.text(c.t(action, { id: job.id }), `publishing:${action}:${job.id}`).row();
    }
    const lines = shown.map((job) => queueLine(job));
    return c.reply([c.t('queueTitle'), ...lines].join('\n'), {
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
    });
  });

  ctx.composer.callbackQuery(JOB_ACTION, async (c) => {
    if (!allowed(c)) return c.answerCallbackQuery({ text: c.t('notAllowed'), show_alert: true });
    const [, action, id = ''] = c.match;
    const job = await ctx.jobs.get(id);
    let done = false;
    if (job && action === 'retry') done = await ctx.jobs.retry(id);
    if (job && action === 'cancel') done = await ctx.jobs.cancel(id);
    if (job && action === 'remove' && job.kind === KINDS.status && job.status === 'done') {
      const payload = job.payload as StatusJob;
      await queue.remove({ account: payload.account, job: id, origin: `/queue by ${c.from.id}` });
      done = true;
    }
    const key = action === 'retry' ? 'retried' : action === 'cancel' ? 'cancelled' : 'removing';
    return c.answerCallbackQuery({ text: done ? c.t(key, { id }) : c.t('notNow', { id, status: job?.status ?? '?' }) });
  });

  command('publish', 'Publish a content item to DEV.to: /publish <id> [draft] [#tag …]', async (c) => {
    const words = String(c.match ?? '').trim();
    // Words, or `option:"several words"`.
    const [id = '', ...rest] = (words.match(/\w+:"[^"]*"|\S+/g) ?? []).map((word) => word.replace(/:"(.*)"$/, ':$1'));
    if (!id) return c.reply(c.t('publishHow'));
    const account = await pickAccount(accounts, c, 'devto', rest.find((word) => word.startsWith('@'))?.slice(1));
    if (!account) return;
    const item = await content().get(id.toLowerCase(), { userId: c.from?.id ?? 0, isAdmin: ctx.isAdmin(c) });
    if (!item) return c.reply(c.t('noItem', { id }));
    const option = (prefix: string) => rest.find((word) => word.startsWith(prefix))?.slice(prefix.length);
    const job = await queue.article({
      account: account.id,
      contentId: item.id,
      title: articleTitle(item.title),
      published: !rest.includes('draft'),
      tags: rest.filter((word) => word.startsWith('#')).map((tag) => tag.slice(1)),
      canonicalUrl: option('canonical:'),
      series: option('series:'),
      origin: `/publish by ${c.from?.id}`,
      notify: { chat: c.chat?.id ?? 0, language: c.language },
    });
    return c.reply(c.t('queued', { id: job.id, account: account.label }));
  });
}

/** The status /post or /schedule asked for, or undefined after saying what is wrong. */
async function statusDraft(
  ctx: Ctx,
  accounts: Accounts,
  c: Chat,
  input: string,
): Promise<{ job: StatusJob; account: Account } | undefined> {
  const parsed = parsePost(input);
  if ('error' in parsed) {
    await c.reply(c.t('badOptions', { error: parsed.error }));
    return undefined;
  }
  const account = await pickAccount(accounts, c, 'mastodon', parsed.account);
  if (!account) return undefined;
  const { text, media } = fromAnswered(c, parsed);
  if (!text && media.length === 0) {
    await c.reply(c.t('nothingToPost'));
    return undefined;
  }
  const job: StatusJob = {
    account: account.id,
    text,
    visibility: parsed.visibility ?? ctx.config.defaultVisibility,
    ...(parsed.spoilerText ? { spoilerText: parsed.spoilerText } : {}),
    ...(parsed.language ? { language: parsed.language } : {}),
    ...(parsed.poll ? { poll: parsed.poll } : {}),
    ...(media.length ? { media } : {}),
    origin: `/post by ${c.from?.id}`,
    notify: { chat: c.chat?.id ?? 0, language: c.language },
  };
  return { job, account };
}

/** The text and image of the message /post answers, when it answers one; the command's own text wins. */
function fromAnswered(c: Chat, parsed: PostOptions): { text: string; media: MediaRef[] } {
  const answered = c.message?.reply_to_message;
  if (!answered) return { text: parsed.text, media: [] };
  const own = answered.text ?? answered.caption ?? '';
  const entities = answered.entities ?? answered.caption_entities ?? [];
  const { text, alt } = splitAltText(parsed.text || statusText(own, entities));
  const photo = answered.photo?.at(-1);
  const media: MediaRef[] = photo
    ? [{ fileId: photo.file_id, mimeType: 'image/jpeg', fileName: 'photo.jpg', ...(alt ? { alt } : {}) }]
    : [];
  return { text, media };
}

async function pickAccount(
  accounts: Accounts,
  c: Chat,
  service: Service,
  named?: string,
): Promise<Account | undefined> {
  const account = named ? await accounts.get(named) : await accounts.first(service);
  if (account?.service === service) return account;
  if (named) await c.reply(c.t('unknownAccount', { service, account: named }));
  else await c.reply(c.t(service === 'mastodon' ? 'noMastodon' : 'noDevto'));
  return undefined;
}

function buttonFor(job: JobInfo): 'retry' | 'cancel' | 'remove' | undefined {
  if (job.status === 'failed') return 'retry';
  if (job.status === 'queued') return 'cancel';
  if (job.status === 'done' && job.kind === KINDS.status) return 'remove';
  return undefined;
}

function queueLine(job: JobInfo): string {
  const { what, account, url } = describeJob(job);
  const when =
    job.status === 'queued' ? ` · ${new Date(job.runAt).toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  const error = job.status === 'failed' && job.lastError ? ` · ${job.lastError}` : '';
  return `${job.id} · ${job.status}${when} · ${account} · ${what}${url ? ` · ${url}` : ''}${error}`;
}
