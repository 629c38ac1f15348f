// The publishing plugin's Mastodon client, over masto: statuses with an Idempotency-Key, media waited
// for until processed, engagement and replies; every failure a PublishFailure.
import { setTimeout as wait } from 'node:timers/promises';
import { createRestAPIClient, MastoHttpError, type mastodon } from 'masto';
import { withDeadline } from '../deadline.js';
import { PublishFailure } from '../failure.js';
import { accountSchema, contextSchema, engagementSchema, mediaSchema, postedSchema } from './entities.js';
import { publishFailure } from './failures.js';
import { htmlToText } from './html-text.js';
import { instanceLimits } from './limits.js';
import type { InstanceLimits, MastodonAccount, MastodonClient, MediaUpload, StatusParams } from './types.js';

export interface MastodonClientOptions {
  /** Per request; 30 s unless said. */
  timeoutMs?: number;
  /** How long an uploaded image may take to be processed; 60 s unless said. */
  mediaTimeoutMs?: number;
  /** How often to ask whether it is; 1 s unless said. */
  mediaPollMs?: number;
}

type Meta = { requestInit: { signal: AbortSignal } };

export function mastodonClient(account: MastodonAccount, options: MastodonClientOptions = {}): MastodonClient {
  // Not masto's own `timeout`: see ../deadline.ts.
  const rest = createRestAPIClient({ url: account.url, accessToken: account.token, log: 'error' });
  const timeoutMs = options.timeoutMs ?? 30_000;
  const host = new URL(account.url).host;
  let limitsRead: Promise<InstanceLimits> | undefined;
  let ownId: Promise<string> | undefined;

  /** One exchange with the instance, within the timeout, stopped by the caller's signal. */
  async function call<T>(signal: AbortSignal | undefined, work: (meta: Meta) => Promise<T>): Promise<T> {
    try {
      return await withDeadline(timeoutMs, signal, (deadline) => work({ requestInit: { signal: deadline.signal } }));
    } catch (error) {
      throw publishFailure(error, account.token, signal);
    }
  }

  const client: MastodonClient = {
    verify: (signal) =>
      call(signal, async (meta) => accountSchema.parse(await rest.v1.accounts.verifyCredentials(undefined, meta))),

    limits(signal) {
      limitsRead ??= call(signal, async (meta) => {
        try {
          return instanceLimits(await rest.v2.instance.fetch(undefined, meta));
        } catch (error) {
          // Instances before Mastodon 4.0 have only the v1 instance entity.
          if (!(error instanceof MastoHttpError && error.statusCode === 404)) throw error;
          return instanceLimits(await rest.v1.instance.fetch(undefined, meta));
        }
      }).catch((error: unknown) => {
        limitsRead = undefined;
        throw error;
      });
      return limitsRead;
    },

    async uploadMedia(media, signal) {
      refuseUnfit(media, await client.limits(signal), host);
      const file = new File([new Uint8Array(media.bytes)], media.fileName, { type: media.mimeType });
      const description = media.description ? { description: media.description } : {};
      // masto's own polling would not stop on our signal, so it is skipped and done here.
      let attachment = await call(signal, async (meta) =>
        mediaSchema.parse(await rest.v2.media.create({ file, ...description, skipPolling: true }, meta)),
      );
      const deadline = Date.now() + (options.mediaTimeoutMs ?? 60_000);
      while (!attachment.url) {
        if (Date.now() >= deadline) {
          throw new PublishFailure('unavailable', `${host} was still processing ${media.fileName}; try again later`);
        }
        await wait(options.mediaPollMs ?? 1000, undefined, { signal }).catch(() => undefined);
        signal?.throwIfAborted();
        const id = attachment.id;
        attachment = await call(signal, async (meta) =>
          mediaSchema.parse(await rest.v1.media.$select(encodeURIComponent(id)).fetch(undefined, meta)),
        );
      }
      return attachment.id;
    },

    createStatus: (params, idempotencyKey, signal) =>
      call(signal, async (meta) => {
        const headers = { 'Idempotency-Key': idempotencyKey };
        const status = await rest.v1.statuses.create(statusBody(params), {
          requestInit: { ...meta.requestInit, headers },
        });
        return postedSchema.parse(status);
      }),

    editStatus: (id, params, signal) =>
      call(signal, async (meta) => {
        const change = { status: params.text, spoilerText: params.spoilerText, language: params.language };
        return postedSchema.parse(await rest.v1.statuses.$select(encodeURIComponent(id)).update(change, meta));
      }),

    deleteStatus: (id, signal) =>
      call(signal, async (meta) => {
        try {
          await rest.v1.statuses.$select(encodeURIComponent(id)).remove(undefined, meta);
        } catch (error) {
          if (!(error instanceof MastoHttpError && error.statusCode === 404)) throw error;
        }
      }),

    engagement: (id, signal) =>
      call(signal, async (meta) => {
        const status = engagementSchema.parse(
          await rest.v1.statuses.$select(encodeURIComponent(id)).fetch(undefined, meta),
        );
        return {
          id: status.id,
          favourites: status.favouritesCount,
          boosts: status.reblogsCount,
          replies: status.repliesCount,
        };
      }),

    async replies(id, signal) {
      ownId ??= client.verify(signal).then(
        (own) => own.id,
        (error: unknown) => {
          ownId = undefined;
          throw error;
        },
      );
      const self = await ownId;
      const context = await call(signal, async (meta) =>
        contextSchema.parse(await rest.v1.statuses.$select(encodeURIComponent(id)).context.fetch(undefined, meta)),
      );
      return context.descendants
        .filter((status) => status.inReplyToId === id && status.account.id !== self)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map((status) => ({
          id: status.id,
          account: status.account.acct.includes('@') ? status.account.acct : `${status.account.acct}@${host}`,
          text: htmlToText(status.content),
          url: status.url,
          createdAt: status.createdAt,
        }));
    },
  };
  return client;
}

/** What the instance would refuse anyway, refused before the bytes are sent, in words a user can act on. */
function refuseUnfit(media: MediaUpload, limits: InstanceLimits, host: string): void {
  if (!limits.supportedMimeTypes.includes(media.mimeType)) {
    const images = limits.supportedMimeTypes.filter((type) => type.startsWith('image/')).join(', ');
    throw new PublishFailure(
      'refused',
      `${host} does not take ${media.mimeType} files (${media.fileName}); images it takes: ${images}`,
    );
  }
  if (media.bytes.length > limits.imageSizeLimit) {
    const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
    throw new PublishFailure(
      'refused',
      `${media.fileName} is ${mb(media.bytes.length)} MB; ${host} takes images up to ${mb(limits.imageSizeLimit)} MB`,
    );
  }
}

function statusBody(params: StatusParams): mastodon.rest.v1.CreateStatusParams {
  const poll = params.poll && {
    options: params.poll.options,
    expiresIn: params.poll.expiresInSeconds,
    multiple: params.poll.multiple ?? false,
  };
  // masto's type keeps media and a poll apart; the instance says so too (422) if both come.
  return {
    status: params.text,
    visibility: params.visibility,
    spoilerText: params.spoilerText,
    language: params.language,
    inReplyToId: params.inReplyToId,
    mediaIds: params.mediaIds,
    poll,
  } as mastodon.rest.v1.CreateStatusParams;
}
