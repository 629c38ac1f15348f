// Publishing in the admin panel: the accounts (added with a token the service must accept, never
// shown back), the queue with each post's status, attempts, error and link, retry, cancel and take
// down; a form to publish a content item to DEV.to; and the engagement of recent posts, charted.
import { z } from 'zod';
import type { PluginContext } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import type { Accounts } from './accounts.js';
import { articleTitle } from './article-jobs.js';
import type { PublishingConfig } from './config.js';
import { dayKey, type Engagement, type engagement, MEASURES } from './engagement.js';
import { PublishFailure } from './failure.js';
import { describeJob, KINDS, type Landed, type Queue } from './queue.js';
import type { StatusJob } from './status-jobs.js';
import type { PublishingKey } from './strings.js';

type Ctx = PluginContext<PublishingConfig, PublishingKey>;

const PAGE = 25;
const STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
const jobParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) });
const listQuery = z.object({
  status: z.enum(STATUSES).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(0).max(400).default(0),
});
const accountBody = z.object({
  service: z.enum(['mastodon', 'devto']),
  url: z.string().trim().url().max(300).optional(),
  token: z.string().trim().min(8, 'a token is longer than that').max(500),
});
const articleBody = z.object({
  contentId: z
    .string()
    .trim()
    .regex(/^[a-z0-9]{1,32}$/, 'a content item id, e.g. k3m9x2qa'),
  account: z.string().regex(/^[a-z0-9-]{1,40}$/),
  tags: z.string().max(200).default(''),
  canonicalUrl: z.string().trim().url().max(500).optional(),
  series: z.string().trim().max(100).optional(),
  published: z.boolean().default(false),
});

export function publishingAdmin(
  ctx: Ctx,
  accounts: Accounts,
  queue: Queue,
  content: () => ContentStore,
  reach: ReturnType<typeof engagement>,
): void {
  const { admin } = ctx;
  admin.page({
    path: 'publishing',
    title: 'Publishing',
    icon: 'fa-bullhorn',
    view: 'views/publishing.eta',
    input: { query: listQuery },
    data: async ({ query }) => {
      const status = query.status || undefined;
      const page = await ctx.jobs.list({ ...(status ? { status } : {}), limit: PAGE, offset: query.page * PAGE });
      const jobs = await Promise.all(
        page.jobs.map(async (job) => ({
          ...job,
          ...describeJob(job),
          engagement: (await ctx.storage.get<Engagement>(`engagement:${job.id}`)) ?? null,
          removable: job.status === 'done' && (job.kind === KINDS.status || job.kind === KINDS.article),
        })),
      );
      return {
        filters: { status: status ?? '', page: query.page },
        statuses: STATUSES,
        accounts: await accounts.list(),
        jobs,
        total: page.total,
        more: (query.page + 1) * PAGE < page.total,
        counts: await ctx.jobs.counts(),
        chart: await chart(ctx),
      };
    },
  });

  admin.route('POST', 'accounts', { body: accountBody }, async ({ body, audit, fail }) => {
    const url = body.url || (body.service === 'devto' ? ctx.integrations.devto.apiRoot : '');
    if (!url) return fail(400, 'a Mastodon account needs its instance URL');
    try {
      const account = await accounts.add(body.service, { url, token: body.token });
      await audit('account.add', { target: account.id, details: { service: body.service, url } });
      return account;
    } catch (error) {
      if (error instanceof PublishFailure) return fail(400, `${body.service} did not accept it: ${error.message}`);
      throw error;
    }
  });

  admin.route('DELETE', 'accounts/:id', { params: jobParams }, async ({ params, audit, fail }) => {
    if (!(await accounts.remove(params.id))) return fail(404, `no account ${params.id} added in the panel`);
    await audit('account.remove', { target: params.id });
  });

  const jobAction = (action: 'retry' | 'cancel') =>
    admin.route('POST', `jobs/:id/${action}`, { params: jobParams }, async ({ params, audit, fail }) => {
      // A post that failed on a refused token is retried only once the service accepts the token again.
      const account = ((await ctx.jobs.get(params.id))?.payload as { account?: string } | undefined)?.account;
      if (action === 'retry' && account) {
        try {
          await accounts.recheck(account);
        } catch (error) {
          if (error instanceof PublishFailure)
            return fail(400, `${account}: the token is still refused: ${error.message}`);
          throw error;
        }
      }
      const done = action === 'retry' ? await ctx.jobs.retry(params.id) : await ctx.jobs.cancel(params.id);
      if (!done) return fail(409, `${params.id} cannot be ${action === 'retry' ? 'retried' : 'cancelled'} now`);
      await audit(`job.${action}`, { target: params.id });
    });
  jobAction('retry');
  jobAction('cancel');

  admin.route('POST', 'jobs/:id/remove', { params: jobParams }, async ({ params, audit, fail }) => {
    const job = await ctx.jobs.get(params.id);
    if (job?.status !== 'done') return fail(409, `${params.id} is not out`);
    const account = (job.payload as { account: string }).account;
    const origin = 'the panel';
    const queued =
      job.kind === KINDS.status
        ? await queue.remove({ account: (job.payload as StatusJob).account, job: job.id, origin })
        : job.kind === KINDS.article
          ? await queue.change({ account, articleId: Number((job.result as Landed).remoteId), origin })
          : fail(409, `${params.id} cannot be taken down`);
    await audit('job.remove', { target: params.id });
    return { job: queued.id };
  });

  admin.route('POST', 'articles', { body: articleBody }, async ({ body, audit, fail }) => {
    const account = await accounts.get(body.account);
    if (account?.service !== 'devto') return fail(400, `no DEV.to account ${body.account}`);
    const item = await content().get(body.contentId);
    if (!item) return fail(404, `no content item ${body.contentId}`);
    const job = await queue.article({
      account: account.id,
      contentId: item.id,
      title: articleTitle(item.title),
      published: body.published,
      tags: body.tags.split(/[\s,#]+/).filter(Boolean),
      ...(body.canonicalUrl ? { canonicalUrl: body.canonicalUrl } : {}),
      ...(body.series ? { series: body.series } : {}),
      origin: 'the panel',
    });
    await audit('article', { target: item.id, details: { job: job.id, account: account.id } });
    return { job: job.id };
  });

  admin.route('POST', 'engagement', async () => reach.gather());
}

/** The last 30 days of engagement totals, for the page's chart. */
async function chart(ctx: Ctx): Promise<{ labels: string[]; series: Record<string, number[]> }> {
  const days = Array.from({ length: 30 }, (_, index) => Date.now() - (29 - index) * 86_400_000);
  const kept = await Promise.all(days.map((day) => ctx.storage.get<Engagement>(dayKey(day))));
  const series = Object.fromEntries(MEASURES.map((measure) => [measure, kept.map((day) => day?.[measure] ?? 0)]));
  return { labels: days.map((day) => new Date(day).toISOString().slice(5, 10)), series };
}
