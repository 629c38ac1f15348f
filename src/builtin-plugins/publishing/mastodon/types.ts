// What the publishing plugin asks of a Mastodon account: the instance's limits, media, statuses and
// their engagement. Every failure is a PublishFailure (see ../failure.ts).

export interface MastodonAccount {
  /** The instance's base URL, e.g. https://mastodon.social */
  url: string;
  /** A user access token with read and write scopes. */
  token: string;
}

/** What the instance allows, from GET /api/v2/instance (`configuration`), with Mastodon's defaults where it says nothing. */
export interface InstanceLimits {
  maxCharacters: number;
  /** Every URL in a status counts as this many characters (23). */
  charactersReservedPerUrl: number;
  maxMediaAttachments: number;
  /** Bytes. */
  imageSizeLimit: number;
  supportedMimeTypes: string[];
  maxPollOptions: number;
  maxPollOptionCharacters: number;
  /** Seconds. */
  minPollExpiration: number;
  maxPollExpiration: number;
}

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface MediaUpload {
  bytes: Buffer;
  mimeType: string;
  fileName: string;
  /** Alt text. */
  description?: string;
}

export interface StatusParams {
  text: string;
  visibility: Visibility;
  /** Content warning. */
  spoilerText?: string;
  /** ISO 639-1. */
  language?: string;
  mediaIds?: string[];
  poll?: { options: string[]; expiresInSeconds: number; multiple?: boolean };
  inReplyToId?: string;
}

export interface PostedStatus {
  id: string;
  url: string | null;
}

export interface StatusEngagement {
  id: string;
  favourites: number;
  boosts: number;
  replies: number;
}

export interface StatusReply {
  id: string;
  /** `user@instance` */
  account: string;
  /** Plain text (HTML stripped). */
  text: string;
  url: string | null;
  createdAt: string;
}

export interface MastodonClient {
  /** The account the token belongs to (GET /api/v1/accounts/verify_credentials). */
  verify(signal?: AbortSignal): Promise<{ id: string; acct: string; url: string }>;
  /** The instance's limits; read once per client. */
  limits(signal?: AbortSignal): Promise<InstanceLimits>;
  /**
   * Uploads one image (POST /api/v2/media) and waits until the instance has processed it (202, then
   * GET /api/v1/media/:id until its url is set). Refuses, before sending, a type or size the
   * instance does not take. Returns the media id.
   */
  uploadMedia(media: MediaUpload, signal?: AbortSignal): Promise<string>;
  /**
   * POST /api/v1/statuses with an Idempotency-Key header: the instance answers the same status for
   * the same key (for an hour), so a retry never posts twice.
   */
  createStatus(params: StatusParams, idempotencyKey: string, signal?: AbortSignal): Promise<PostedStatus>;
  /** PUT /api/v1/statuses/:id: the status's new text (and content warning, language); media and poll stay. */
  editStatus(
    id: string,
    params: Pick<StatusParams, 'text' | 'spoilerText' | 'language'>,
    signal?: AbortSignal,
  ): Promise<PostedStatus>;
  /** A status that is already gone counts as deleted. */
  deleteStatus(id: string, signal?: AbortSignal): Promise<void>;
  engagement(id: string, signal?: AbortSignal): Promise<StatusEngagement>;
  /** Direct replies to a status by other accounts (GET /api/v1/statuses/:id/context), oldest first. */
  replies(id: string, signal?: AbortSignal): Promise<StatusReply[]>;
}
