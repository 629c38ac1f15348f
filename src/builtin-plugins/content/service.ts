// The content store's service, `content/store`, as plugins that depend on `content` use it (the
// filing system). Types only: another plugin imports this file and nothing else of this folder.
import type { SnippetPart } from '../../plugins/api.js';

/** Who may see an item besides its owner and the bot's admins: nobody, the team, everyone. */
export type Visibility = 'private' | 'team' | 'public';

export type ContentKind = 'text' | 'link' | 'photo' | 'document' | 'forward';

/** A file of Telegram's an item stands for. */
export interface ContentFile {
  fileId: string;
  fileName?: string;
  mimeType?: string;
  /** Bytes, as Telegram gave them. */
  size?: number;
  /** Whether its bytes are kept in the store (small enough, and downloads on). */
  stored: boolean;
}

export interface ContentItem {
  /** Short and unguessable, e.g. `k3m9x2qa`: what /get takes. */
  id: string;
  kind: ContentKind;
  title: string;
  /** Where it came from: a URL, "forwarded from …", a chat. */
  source: string | null;
  tags: string[];
  owner: number;
  visibility: Visibility;
  /** Access labels other plugins added (`share`), e.g. `unit:7`. */
  shares: string[];
  createdAt: number;
  /** Bytes of the text as saved, and as stored compressed. */
  size: number;
  storedSize: number;
  file?: ContentFile;
}

/** Who reads: a Telegram user, and whether they are one of the bot's admins (who see everything). */
export interface Reader {
  userId: number;
  isAdmin: boolean;
}

export interface ContentQuery {
  /** Words as typed; absent: newest first. */
  text?: string;
  tags?: string[];
  kind?: ContentKind;
  owner?: number;
  after?: number;
  before?: number;
  /** Only items shared with one of these labels (e.g. a folder's `unit:7`), among those the reader may see. */
  within?: readonly string[];
  /** 1–50, default 10. */
  limit?: number;
  offset?: number;
}

export interface ContentHit extends ContentItem {
  snippet: SnippetPart[];
}

/** A Telegram message as the store takes it (grammY's Message has these fields). */
export interface SavableMessage {
  text?: string;
  caption?: string;
  entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  caption_entities?: readonly { type: string; offset: number; length: number; url?: string }[];
  photo?: readonly { file_id: string; file_size?: number; width: number; height: number }[];
  document?: { file_id: string; file_name?: string; mime_type?: string; file_size?: number };
  forward_origin?: unknown;
  chat: { id: number; title?: string; username?: string };
  message_id: number;
}

export interface ContentStore {
  /** Saves a message (text, link, photo, document, forward) for `owner`; the same message saved
   *  again returns the item saved the first time. */
  saveMessage(
    message: SavableMessage,
    options: { owner: number; tags?: string[]; visibility?: Visibility },
  ): Promise<ContentItem>;
  /** The item, when the reader may see it (always, without a reader). */
  get(id: string, reader?: Reader): Promise<ContentItem | undefined>;
  /** The item's text, decompressed. */
  text(id: string, reader?: Reader): Promise<string | undefined>;
  /** The items the reader may see that match, best first, with snippets. */
  search(reader: Reader | undefined, query: ContentQuery): Promise<{ hits: ContentHit[]; next?: number }>;
  /** Adds an access label to an item (who holds it may see the item); false when there is no such item. */
  share(id: string, label: string): Promise<boolean>;
  unshare(id: string, label: string): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /**
   * Adds a source of labels readers hold beyond their own (e.g. the units a user has a role in, and
   * `team`): the store asks it on every search, get and inline query. Returns what removes it.
   */
  addAudience(source: (userId: number) => Promise<readonly string[]>): () => void;
}
