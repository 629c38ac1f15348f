// The DEV.to jobs of the publishing queue: an article made from an item of the content store (and so
// from the filing system, whose documents are content items), an update, an unpublish. DEV.to takes
// no idempotency key, so before it creates an article the job saves the newest id it already had:
// an attempt after a crash first looks for an article of the same title above that id and adopts it.
import { JobFailure, type JobRun, type PluginContext } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import type { Accounts } from './accounts.js';
import type { PublishingConfig } from './config.js';
import type { ArticleDraft, DevtoArticle } from './devto/types.js';
import type { Notify } from './notify.js';
import { usableAccount, withService } from './outcome.js';

type Ctx = PluginContext<PublishingConfig, string>;

export interface ArticleJob {
  account: string;
  /** The content item whose text is the article's Markdown; read when the job runs. */
  contentId: string;
  title: string;
  published: boolean;
  tags?: string[];
  canonicalUrl?: string;
  series?: string;
  mainImage?: string;
  origin: string;
  notify?: Notify;
}

export interface ArticleChangeJob {
  account: string;
  articleId: number;
  /** An update: the fields that change (the body from a content item when given); absent: unpublish. */
  change?: Omit<Partial<ArticleDraft>, 'bodyMarkdown'> & { contentId?: string };
  origin: string;
}

export interface ArticleResult {
  remoteId: string;
  url: string;
  published: boolean;
}

interface ArticleState {
  /** The newest of the account's article ids before this job created one. */
  newestBefore: number;
}

export function articleJobs(ctx: Ctx, accounts: Accounts, content: () => ContentStore) {
  /** The item's Markdown, without a first heading that repeats the title (DEV.to shows the title above it). */
  async function body(contentId: string, title?: string): Promise<string> {
    const text = await content().text(contentId);
    if (text === undefined) throw new JobFailure(`there is no content item ${contentId} any more`);
    const [first = '', ...rest] = text.split('\n');
    return title !== undefined && articleTitle(first) === title && /^#\s/.test(first)
      ? rest.join('\n').trimStart()
      : text;
  }

  async function publish(run: JobRun<ArticleJob>): Promise<ArticleResult> {
    const job = run.payload;
    const account = await usableAccount(accounts, job.account);
    const markdown = await body(job.contentId, job.title);
    return withService(ctx, accounts, account, async () => {
      const client = await accounts.devto(account);
      const state = run.state as ArticleState | null;
      if (state) {
        const mine = await client.mine({ max: 100, signal: run.signal });
        const made = mine.find((article) => article.id > state.newestBefore && article.title === job.title);
        if (made) return result(made);
      } else {
        // Forem lists drafts first, then by publication date: the newest article is the highest id, not the first.
        const ids = (await client.mine({ max: 30, signal: run.signal })).map((article) => article.id);
        await run.save({ newestBefore: Math.max(0, ...ids) } satisfies ArticleState);
      }
      const { contentId: _id, account: _account, origin: _origin, notify: _notify, ...draft } = job;
      return result(await client.create({ ...draft, bodyMarkdown: markdown }, run.signal));
    });
  }

  async function change(run: JobRun<ArticleChangeJob>): Promise<ArticleResult> {
    const job = run.payload;
    const account = await usableAccount(accounts, job.account);
    const fields = job.change
      ? {
          ...withoutContent(job.change),
          ...(job.change.contentId ? { bodyMarkdown: await body(job.change.contentId) } : {}),
        }
      : undefined;
    return withService(ctx, accounts, account, async () => {
      const client = await accounts.devto(account);
      return result(
        fields
          ? await client.update(job.articleId, fields, run.signal)
          : await client.unpublish(job.articleId, run.signal),
      );
    });
  }

  return { publish, change };
}

function withoutContent(change: NonNullable<ArticleChangeJob['change']>): Partial<ArticleDraft> {
  const { contentId: _contentId, ...fields } = change;
  return fields;
}

function result(article: DevtoArticle): ArticleResult {
  return { remoteId: String(article.id), url: article.url, published: article.published };
}

/** An item's title as an article's: a Markdown heading's marks taken off. */
export function articleTitle(itemTitle: string): string {
  return itemTitle.replace(/^#{1,6}\s+/, '').trim();
}
