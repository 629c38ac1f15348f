// Why a call to a publishing service failed, in the terms the publishing queue acts on: a refused
// credential fails the post for good and alerts the admins once; a refused post fails for good with
// the service's reason; a rate limit waits as long as the service asked; anything else is retried.

export type FailureKind =
  /** 401/403: the token is expired or revoked, or the app lacks a scope. */
  | 'auth'
  /** 4xx other than 401/403/408/429: the service refused this post (too long, bad tags, media too large). */
  | 'refused'
  /** 429: wait `retryAfterMs`. */
  | 'rate-limited'
  /** 5xx, 408, a timeout or a network failure: try again later. */
  | 'unavailable';

export class PublishFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The service's own words where it gave any (never a credential). */
    message: string,
    readonly options: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'PublishFailure';
  }
}
