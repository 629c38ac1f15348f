// What the publishing plugin asks of a DEV.to (Forem API v1) account: articles, their state and their
// reach. Every failure is a PublishFailure (see ../failure.ts).

export interface DevtoAccount {
  /** https://dev.to, or DEVTO_API_ROOT. */
  apiRoot: string;
  apiKey: string;
}

export interface ArticleDraft {
  title: string;
  bodyMarkdown: string;
  /** Up to 4; lower-case letters and digits. */
  tags?: string[];
  canonicalUrl?: string;
  series?: string;
  /** The cover image's URL. */
  mainImage?: string;
  description?: string;
  published: boolean;
}

export interface DevtoArticle {
  id: number;
  title: string;
  url: string;
  published: boolean;
  publishedAt: string | null;
  pageViews: number;
  reactions: number;
  comments: number;
}

export interface DevtoClient {
  /** The key's user (GET /api/users/me). */
  me(signal?: AbortSignal): Promise<{ id: number; username: string }>;
  /** POST /api/articles. Refuses, before sending, more than 4 tags or a tag DEV.to would refuse. */
  create(draft: ArticleDraft, signal?: AbortSignal): Promise<DevtoArticle>;
  /** PUT /api/articles/:id with the fields given. */
  update(id: number, change: Partial<ArticleDraft>, signal?: AbortSignal): Promise<DevtoArticle>;
  /** Takes a published article back to a draft. */
  unpublish(id: number, signal?: AbortSignal): Promise<DevtoArticle>;
  /** My articles, published or not (GET /api/articles/me/all), newest first, following pages up to `max`. */
  mine(options?: { max?: number; signal?: AbortSignal }): Promise<DevtoArticle[]>;
}
