// The JSON a Mastodon 4.x instance answers with (snake_case, as on the wire), for fake-mastodon.ts,
// and the unfolding of a form body's bracketed keys (`poll[options][]`) into the object Rails sees.

export interface FakeStatus {
  id: string;
  text: string;
  visibility: string;
  spoiler_text: string;
  language: string | null;
  in_reply_to_id: string | null;
  media_ids: string[];
  poll: { options: string[]; expires_in: number; multiple: boolean } | null;
  favourites_count: number;
  reblogs_count: number;
  replies_count: number;
  created_at: string;
  account: Record<string, unknown>;
  /** How many times PUT /api/v1/statuses/:id changed it. */
  edits?: number;
}

export function accountJson(base: string, id: string, acct: string): Record<string, unknown> {
  const username = acct.split('@')[0];
  const url = acct.includes('@') ? `https://${acct.split('@')[1]}/@${username}` : `${base}/@${username}`;
  return {
    id,
    username,
    acct,
    display_name: username,
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '',
    url,
    avatar: `${base}/avatars/original/missing.png`,
    followers_count: 0,
    following_count: 0,
    statuses_count: 0,
    emojis: [],
    fields: [],
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function statusJson(base: string, status: FakeStatus): Record<string, unknown> {
  // As Rails escapes, and Mastodon's plain-text formatter wraps paragraphs and breaks lines.
  const escaped = status.text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
  const content = escaped
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${paragraph.replace(/\n/g, '<br />')}</p>`)
    .join('');
  return {
    ...status,
    media_ids: undefined,
    text: undefined,
    uri: `${base}/users/${status.account.username}/statuses/${status.id}`,
    url: `${base}/@${status.account.username}/${status.id}`,
    sensitive: status.spoiler_text !== '',
    content,
    in_reply_to_account_id: null,
    media_attachments: status.media_ids.map((id) => ({ id, type: 'image', url: `${base}/media/${id}.png` })),
    poll: status.poll && {
      id: status.id,
      expires_at: new Date(Date.parse(status.created_at) + status.poll.expires_in * 1000).toISOString(),
      multiple: status.poll.multiple,
      options: status.poll.options.map((title) => ({ title, votes_count: 0 })),
      votes_count: 0,
    },
    mentions: [],
    tags: [],
    emojis: [],
    card: null,
    reblog: null,
    edited_at: null,
  };
}

export function instanceJson(
  base: string,
  maxCharacters: number,
  imageSizeLimit = 16_777_216,
): Record<string, unknown> {
  return {
    domain: new URL(base).host,
    title: 'Fake Mastodon',
    version: '4.3.2',
    source_url: 'https://github.com/mastodon/mastodon',
    description: 'A stand-in for tests',
    languages: ['en'],
    configuration: {
      urls: { streaming: base.replace(/^http/, 'ws') },
      accounts: { max_featured_tags: 10, max_pinned_statuses: 5 },
      statuses: { max_characters: maxCharacters, max_media_attachments: 4, characters_reserved_per_url: 23 },
      media_attachments: {
        supported_mime_types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'video/mp4', 'audio/mpeg'],
        description_limit: 1500,
        image_size_limit: imageSizeLimit,
        image_matrix_limit: 33_177_600,
        video_size_limit: 103_809_024,
        video_frame_rate_limit: 120,
        video_matrix_limit: 8_294_400,
      },
      polls: { max_options: 4, max_characters_per_option: 50, min_expiration: 300, max_expiration: 2_629_746 },
      translation: { enabled: false },
    },
    registrations: { enabled: false, approval_required: false, message: null },
    rules: [],
  };
}

/** `poll[options][]=a&poll[options][]=b&poll[expires_in]=300` (or `[0]`, `[1]` as masto writes them). */
export function unfoldForm(form: FormData): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    const name = key.split('[')[0] as string;
    const path = [...key.matchAll(/\[([^\]]*)\]/g)].map((match) => match[1] as string);
    const leaf = typeof value === 'string' ? value : { name: value.name, type: value.type, size: value.size };
    let node = body as Record<string | number, unknown>;
    let at: string | number = name;
    for (const part of path) {
      node[at] ??= part === '' || /^\d+$/.test(part) ? [] : {};
      node = node[at] as Record<string | number, unknown>;
      at = part === '' ? (node as unknown as unknown[]).length : part;
    }
    node[at] = leaf;
  }
  return body;
}
