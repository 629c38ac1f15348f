// The Mastodon jobs of the publishing queue: a status (a thread when the text is longer than the
// instance allows, media with alt text or a poll on its first part), an edit, a deletion. Each step
// is saved as it lands, and every status is created with an Idempotency-Key made from the job and
// the part, so an attempt after a crash or a timeout goes on where the last one stopped and the
// instance answers a repeated request with the status it already made: nothing is posted twice.
import { JobFailure, type JobRun, type PluginContext } from '../../plugins/api.js';
import type { Accounts } from './accounts.js';
import type { PublishingConfig } from './config.js';
import { statusLength } from './mastodon/status-length.js';
import { splitThread } from './mastodon/thread.js';
import type { PostedStatus, Visibility } from './mastodon/types.js';
import type { Notify } from './notify.js';
import { usableAccount, withService } from './outcome.js';

type Ctx = PluginContext<PublishingConfig, string>;

export interface MediaRef {
  /** Telegram's file_id: the bytes are downloaded when the job runs. */
  fileId: string;
  mimeType: string;
  fileName: string;
  alt?: string;
}

export interface StatusJob {
  account: string;
  text: string;
  visibility: Visibility;
  spoilerText?: string;
  language?: string;
  poll?: { options: string[]; expiresInSeconds: number };
  media?: MediaRef[];
  /** Where it came from, in words: `/post by 1001`, `channel -100…/42`. */
  origin: string;
  /** Who asked, told when it is out or failed for good. */
  notify?: Notify;
}

export interface EditJob {
  account: string;
  /** The status job whose statuses change. */
  job: string;
  text: string;
  origin: string;
}

export interface DeleteJob {
  account: string;
  job: string;
  origin: string;
}

export interface StatusResult {
  remoteId: string;
  url: string | null;
  statuses: PostedStatus[];
}

interface ThreadState {
  mediaIds?: string[];
  posted: PostedStatus[];
}

export function statusJobs(ctx: Ctx, accounts: Accounts) {
  async function post(run: JobRun<StatusJob>): Promise<StatusResult> {
    const job = run.payload;
    const account = await usableAccount(accounts, job.account);
    const state: ThreadState = (run.state as ThreadState | null) ?? { posted: [] };
    return withService(ctx, accounts, account, async () => {
      const client = await accounts.mastodon(account);
      const limits = await client.limits(run.signal);
      if (job.poll && job.media?.length) throw new JobFailure('a status carries a poll or media, not both');
      if ((job.media?.length ?? 0) > limits.maxMediaAttachments) {
        throw new JobFailure(`the instance takes at most ${limits.maxMediaAttachments} images per status`);
      }
      if (job.media?.length && !state.mediaIds) {
        const ids: string[] = [];
        for (const media of job.media) {
          const file = await downloaded(ctx, media.fileId, limits.imageSizeLimit);
          ids.push(
            await client.uploadMedia(
              { bytes: file, mimeType: media.mimeType, fileName: media.fileName, description: media.alt },
              run.signal,
            ),
          );
        }
        state.mediaIds = ids;
        await run.save(state);
      }
      // The content warning counts toward each status's characters, as the instance counts them.
      const room = limits.maxCharacters - statusLength(job.spoilerText ?? '', limits.charactersReservedPerUrl);
      const parts = splitThread(job.text, { ...limits, maxCharacters: room });
      for (let part = state.posted.length; part < parts.length; part++) {
        const first = part === 0;
        const posted = await client.createStatus(
          {
            text: parts[part] as string,
            visibility: job.visibility,
            spoilerText: job.spoilerText,
            language: job.language,
            mediaIds: first ? state.mediaIds : undefined,
            poll: first && job.poll ? { ...job.poll } : undefined,
            inReplyToId: state.posted[part - 1]?.id,
          },
          `${run.id}-${part}`,
          run.signal,
        );
        state.posted.push(posted);
        await run.save(state);
      }
      const head = state.posted[0] as PostedStatus;
      return { remoteId: head.id, url: head.url, statuses: state.posted };
    });
  }

  async function edit(run: JobRun<EditJob>): Promise<StatusResult> {
    const { payload } = run;
    const account = await usableAccount(accounts, payload.account);
    const original = await postedStatuses(ctx, payload.job);
    return withService(ctx, accounts, account, async () => {
      const client = await accounts.mastodon(account);
      const parts = splitThread(payload.text, await client.limits(run.signal));
      if (parts.length !== original.length) {
        throw new JobFailure(
          `the edited text makes ${parts.length} statuses where ${original.length} were posted; delete the post and post it again`,
        );
      }
      const edited: PostedStatus[] = [];
      for (const [index, status] of original.entries()) {
        edited.push(await client.editStatus(status.id, { text: parts[index] as string }, run.signal));
      }
      const head = edited[0] as PostedStatus;
      return { remoteId: head.id, url: head.url, statuses: edited };
    });
  }

  async function remove(run: JobRun<DeleteJob>): Promise<{ remoteId: string; url: null; deleted: number }> {
    const { payload } = run;
    const account = await usableAccount(accounts, payload.account);
    const statuses = await postedStatuses(ctx, payload.job);
    return withService(ctx, accounts, account, async () => {
      const client = await accounts.mastodon(account);
      // The replies first: a thread is taken down from its end.
      for (const status of [...statuses].reverse()) await client.deleteStatus(status.id, run.signal);
      return { remoteId: (statuses[0] as PostedStatus).id, url: null, deleted: statuses.length };
    });
  }

  return { post, edit, remove };
}

/** The statuses a done status job made; an edit or deletion of one not out yet waits for it. */
async function postedStatuses(ctx: Ctx, jobId: string): Promise<PostedStatus[]> {
  const original = await ctx.jobs.get(jobId);
  if (!original) throw new JobFailure(`there is no post ${jobId}`);
  if (original.status === 'failed' || original.status === 'cancelled') {
    throw new JobFailure(`post ${jobId} never went out (${original.status})`);
  }
  const result = original.result as StatusResult | null;
  if (original.status !== 'done' || !result) throw new Error(`post ${jobId} is not out yet`);
  return result.statuses;
}

async function downloaded(ctx: Ctx, fileId: string, maxBytes: number): Promise<Buffer> {
  try {
    return (await ctx.files.download(fileId, { maxBytes })).bytes;
  } catch (error) {
    if ((error as { code?: string }).code === 'FILE_TOO_LARGE') {
      throw new JobFailure(`the image is larger than the instance takes (${sizeOf(maxBytes)})`);
    }
    throw error;
  }
}

function sizeOf(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
