// Engagement of what went out: on a schedule, the favourites, boosts and replies of recent Mastodon
// posts and the views, reactions and comments of recent DEV.to articles are read, kept per post and
// per day (for the panel's chart) and exported as metrics; new replies to our statuses are forwarded
// to the configured chat. A service that fails is logged and tried again next time.
import type { JobInfo, PluginContext } from '../../plugins/api.js';
import type { Account, Accounts } from './accounts.js';
import type { PublishingConfig } from './config.js';
import { KINDS, type Landed } from './queue.js';
import type { PublishingKey } from './strings.js';

type Ctx = PluginContext<PublishingConfig, PublishingKey>;

export interface Engagement {
  favourites: number;
  boosts: number;
  replies: number;
  views: number;
  reactions: number;
  comments: number;
}

export const MEASURES = ['favourites', 'boosts', 'replies', 'views', 'reactions', 'comments'] as const;
const NONE: Engagement = { favourites: 0, boosts: 0, replies: 0, views: 0, reactions: 0, comments: 0 };
const SEEN_REPLIES = 200;

export const dayKey = (at: number) => `daily:${new Date(at).toISOString().slice(0, 10)}`;

export function engagement(ctx: Ctx, accounts: Accounts) {
  const gauge = ctx.metrics.gauge('engagement', 'Engagement of recent posts, by service and measure', [
    'service',
    'measure',
  ]);

  /** Done posts and articles of the last `engagementDays`, by account. */
  async function recent(): Promise<Map<string, JobInfo[]>> {
    const since = Date.now() - ctx.config.engagementDays * 86_400_000;
    const byAccount = new Map<string, JobInfo[]>();
    for (let offset = 0; ; offset += 200) {
      const { jobs } = await ctx.jobs.list({ status: 'done', limit: 200, offset });
      for (const job of jobs) {
        if (job.createdAt < since || (job.kind !== KINDS.status && job.kind !== KINDS.article)) continue;
        const account = (job.payload as { account: string }).account;
        const posts = byAccount.get(account) ?? [];
        posts.push(job);
        byAccount.set(account, posts);
      }
      if (jobs.length < 200 || (jobs.at(-1)?.createdAt ?? 0) < since) return byAccount;
    }
  }

  async function mastodonPosts(account: Account, posts: JobInfo[]): Promise<void> {
    const client = await accounts.mastodon(account);
    for (const post of posts) {
      const { remoteId, url } = post.result as Landed;
      const counts = await client.engagement(remoteId);
      await ctx.storage.set(`engagement:${post.id}`, {
        ...NONE,
        favourites: counts.favourites,
        boosts: counts.boosts,
        replies: counts.replies,
      });
      const chat = ctx.config.repliesChat;
      if (chat === undefined || counts.replies === 0) continue;
      const seen = new Set((await ctx.storage.get<string[]>(`replies:${post.id}`)) ?? []);
      for (const reply of await client.replies(remoteId)) {
        if (seen.has(reply.id)) continue;
        await ctx.api.sendMessage(
          chat,
          ctx.t('en', 'replied', { account: reply.account, url: url ?? remoteId, text: reply.text }),
          {
            link_preview_options: { is_disabled: true },
          },
        );
        seen.add(reply.id);
        await ctx.storage.set(`replies:${post.id}`, [...seen].slice(-SEEN_REPLIES));
      }
    }
  }

  async function devtoPosts(account: Account, posts: JobInfo[]): Promise<void> {
    const articles = new Map(
      (await (await accounts.devto(account)).mine()).map((article) => [String(article.id), article]),
    );
    for (const post of posts) {
      const article = articles.get((post.result as Landed).remoteId);
      if (!article) continue;
      await ctx.storage.set(`engagement:${post.id}`, {
        ...NONE,
        views: article.pageViews,
        reactions: article.reactions,
        comments: article.comments,
      });
    }
  }

  /** Reads every recent post's engagement; returns the totals it kept for today. */
  async function gather(): Promise<Engagement> {
    const totals = { ...NONE };
    for (const [id, posts] of await recent()) {
      const account = await accounts.get(id);
      if (!account || account.broken) continue;
      try {
        if (account.service === 'mastodon') await mastodonPosts(account, posts);
        else await devtoPosts(account, posts);
      } catch (error) {
        ctx.log.warn({ err: error, account: id }, 'could not read the engagement of recent posts');
      }
      for (const post of posts) {
        const kept = (await ctx.storage.get<Engagement>(`engagement:${post.id}`)) ?? NONE;
        for (const measure of MEASURES) totals[measure] += kept[measure];
      }
    }
    for (const measure of MEASURES) {
      const service = ['views', 'reactions', 'comments'].includes(measure) ? 'devto' : 'mastodon';
      gauge.set({ service, measure }, totals[measure]);
    }
    await ctx.storage.set(dayKey(Date.now()), totals);
    return totals;
  }

  /**
   * Gathers when the configured interval has passed since the last gathering. The time is taken with
   * a compare-and-set, so of several instances sharing the database one gathers (and forwards a reply).
   */
  async function gatherWhenDue(): Promise<void> {
    const now = Date.now();
    let due = false;
    await ctx.storage.update<number>('gathered-at', (last = 0) => {
      due = now - last >= ctx.config.engagementMinutes * 60_000;
      return due ? now : last;
    });
    if (due) await gather();
  }

  return { gather, gatherWhenDue };
}
