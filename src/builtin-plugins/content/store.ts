// The content store: items saved from Telegram (or imported), their text and files kept compressed
// and deduplicated in ctx.blobs, found through ctx.search with the labels of who asks. What the
// commands, inline mode, the panel, the CLI verbs and the `content/store` service all go through.
import { createHash, randomBytes } from 'node:crypto';
import type { IndexedRecord, PluginContext, SearchRecord } from '../../plugins/api.js';
import { snippet } from '../../plugins/api.js';
import type { ContentConfig } from './config.js';
import { accessLabels, type ItemData, itemData, ownerLabel, toItem } from './item-record.js';
import { type MessageContent, messageContent } from './message-content.js';
import type {
  ContentHit,
  ContentItem,
  ContentQuery,
  ContentStore,
  Reader,
  SavableMessage,
  Visibility,
} from './service.js';

/** Something too large to keep; its message names the limit. */
export class TooLargeError extends Error {
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} is larger than the limit of ${formatBytes(limit)}`);
  }
}

/** An item as the store takes it, from a message or an import. */
export interface NewItem extends MessageContent {
  owner: number;
  tags?: string[];
  visibility: Visibility;
  language?: string;
  /** Kept as given (imports); new ones get a fresh id and now. */
  id?: string;
  createdAt?: number;
  shares?: string[];
  /** The file's bytes, when they are at hand (imports). */
  fileBytes?: Buffer;
  origin?: string;
}

const ID_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const ID_LENGTH = 8;
const MAX_LIMIT = 50;
/** What embeddings are made of: the start of the item, where its subject is. */
const EMBED_CHARACTERS = 8000;
const TEXT_MIME = /^(text\/|application\/(json|xml|x-yaml|yaml|csv|markdown))/;

type Ctx = PluginContext<ContentConfig, string>;

export class Store implements ContentStore {
  private readonly audiences = new Set<(userId: number) => Promise<readonly string[]>>();

  constructor(private readonly ctx: Ctx) {}

  async saveMessage(
    message: SavableMessage,
    options: { owner: number; tags?: string[]; visibility?: Visibility; language?: string },
  ): Promise<ContentItem> {
    const origin = `${message.chat.id}:${message.message_id}`;
    const content = messageContent(message);
    const saved = await this.ctx.storage.get<string>(`origin:${origin}`);
    const existing = saved ? await this.ctx.search.get(saved) : undefined;
    // The same message again. Its id alone could mislead: an emulator started afresh numbers
    // messages from 1 again, so what it holds must match too.
    if (existing && existing.kind === content.kind && existing.title === content.title) {
      return this.addTags(existing, options.tags ?? []);
    }
    return this.save({
      ...content,
      owner: options.owner,
      tags: options.tags ?? [],
      visibility: options.visibility ?? this.ctx.config.defaultVisibility,
      ...(options.language ? { language: options.language } : {}),
      origin,
    });
  }

  /** Keeps an item: its text and file in blobs, its record in the index. The same content saved
   *  again by the same owner returns the first item, with the new tags added. */
  async save(item: NewItem): Promise<ContentItem> {
    const { config } = this.ctx;
    // A text document downloaded now is searched by its contents too; given bytes (an import)
    // come with their text as it was.
    const downloaded = item.fileBytes ? undefined : await this.download(item.file);
    const fileBytes = item.fileBytes ?? downloaded;
    let text = item.text;
    if (downloaded && item.file?.mimeType && TEXT_MIME.test(item.file.mimeType)) {
      text = `${text}\n${downloaded.toString('utf8')}`;
    }
    const size = Buffer.byteLength(text);
    if (size > config.maxTextBytes) throw new TooLargeError('The text', config.maxTextBytes);
    const fingerprint = createHash('sha256')
      .update(`${item.kind}\0${text}\0${item.file?.fileId ?? ''}\0${fileBytes ? 'bytes' : ''}`)
      .digest('hex');
    const sameKey = `same:${item.owner}:${fingerprint}`;
    const same = await this.ctx.storage.get<string>(sameKey);
    const twin = same ? await this.ctx.search.get(same) : undefined;
    if (twin && !item.id) return this.remember(item.origin, await this.addTags(twin, item.tags ?? []));

    const textBlob = await this.ctx.blobs.put(text, { codec: config.codec });
    const fileBlob = fileBytes ? await this.ctx.blobs.put(fileBytes, { codec: config.codec }) : undefined;
    const shares = item.shares ?? [];
    const data: ItemData = {
      v: 1,
      source: item.source,
      visibility: item.visibility,
      shares,
      hash: textBlob.hash,
      size: textBlob.size,
      storedSize: textBlob.storedSize + (fileBlob?.storedSize ?? 0),
      ...(item.file ? { file: { ...item.file, ...(fileBlob ? { blob: fileBlob.hash } : {}) } } : {}),
      ...(item.origin ? { origin: item.origin } : {}),
      fingerprint,
    };
    const record: SearchRecord = {
      id: item.id ?? newId(),
      title: item.title,
      text,
      ...(item.language ? { language: item.language } : {}),
      kind: item.kind,
      owner: item.owner,
      tags: normaliseTags(item.tags ?? []),
      access: accessLabels(item.owner, item.visibility, shares),
      createdAt: item.createdAt ?? Date.now(),
      data,
    };
    const vector = await this.embed(`${item.title}\n${text}`);
    if (vector) record.vector = vector;
    await this.ctx.search.put(record);
    await this.ctx.storage.set(sameKey, record.id);
    const stored = await this.ctx.search.get(record.id);
    if (!stored) throw new Error(`item ${record.id} vanished as it was saved`);
    return this.remember(item.origin, toItem(stored));
  }

  async get(id: string, reader?: Reader): Promise<ContentItem | undefined> {
    const record = await this.visibleRecord(id, reader);
    return record ? toItem(record) : undefined;
  }

  async text(id: string, reader?: Reader): Promise<string | undefined> {
    const record = await this.visibleRecord(id, reader);
    if (!record) return undefined;
    const data = itemData.parse(record.data);
    return (await this.ctx.blobs.get(data.hash, { maxBytes: data.size }))?.toString('utf8');
  }

  /** The bytes of an item's file, when the store keeps them. */
  async fileBytes(id: string, reader?: Reader): Promise<Buffer | undefined> {
    const record = await this.visibleRecord(id, reader);
    const file = record ? itemData.parse(record.data).file : undefined;
    if (!file?.blob) return undefined;
    return this.ctx.blobs.get(file.blob, { maxBytes: this.ctx.config.maxFileBytes });
  }

  /** `semantic: false` leaves embeddings out (inline mode: one call a keystroke would cost too much). */
  async search(
    reader: Reader | undefined,
    query: ContentQuery,
    options: { semantic?: boolean } = {},
  ): Promise<{ hits: ContentHit[]; next?: number }> {
    const audience = await this.audienceOf(reader, query.within);
    if (audience && audience.length === 0) return { hits: [] };
    const text = query.text?.trim() || undefined;
    const vector = text && options.semantic !== false ? await this.embed(text) : undefined;
    const page = await this.ctx.search.query({
      ...(text ? { text } : {}),
      ...(vector ? { vector, minSimilarity: this.ctx.config.similarityFloor } : {}),
      ...(query.tags?.length ? { tags: normaliseTags(query.tags) } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.owner !== undefined ? { owner: query.owner } : {}),
      ...(query.after !== undefined ? { after: query.after } : {}),
      ...(query.before !== undefined ? { before: query.before } : {}),
      ...(audience ? { audience } : {}),
      limit: Math.min(Math.max(query.limit ?? 10, 1), MAX_LIMIT),
      offset: query.offset ?? 0,
    });
    const hits = await Promise.all(
      page.hits.map(async (hit) => ({ ...toItem(hit), snippet: await this.snippetOf(hit, text) })),
    );
    return { hits, ...(page.next !== undefined ? { next: page.next } : {}) };
  }

  async share(id: string, label: string): Promise<boolean> {
    return this.changeShares(id, (shares) => [...new Set([...shares, label])]);
  }

  async unshare(id: string, label: string): Promise<boolean> {
    return this.changeShares(id, (shares) => shares.filter((share) => share !== label));
  }

  async setTags(id: string, tags: readonly string[]): Promise<boolean> {
    return this.ctx.search.patch(id, { tags: normaliseTags(tags) });
  }

  async remove(id: string): Promise<boolean> {
    const record = await this.ctx.search.get(id);
    if (!record) return false;
    const data = itemData.parse(record.data);
    await this.ctx.search.remove(id);
    await this.ctx.blobs.release(data.hash);
    if (data.file?.blob) await this.ctx.blobs.release(data.file.blob);
    if (data.origin) await this.ctx.storage.delete(`origin:${data.origin}`);
    if (data.fingerprint) await this.ctx.storage.delete(`same:${record.owner}:${data.fingerprint}`);
    return true;
  }

  addAudience(source: (userId: number) => Promise<readonly string[]>): () => void {
    this.audiences.add(source);
    return () => this.audiences.delete(source);
  }

  /** Whether the reader may change or delete the item: its owner, or an admin. */
  mayChange(item: ContentItem, reader: Reader): boolean {
    return reader.isAdmin || item.owner === reader.userId;
  }

  /** The labels a reader holds: their own, the team's when they are in it, and what sources add. */
  async labelsOf(userId: number): Promise<string[]> {
    const labels = ['public', ownerLabel(userId)];
    if (this.ctx.config.team.includes(userId)) labels.push('team');
    for (const source of this.audiences) {
      try {
        labels.push(...(await source(userId)));
      } catch (error) {
        this.ctx.log.warn({ err: error }, 'an audience source failed; its labels are left out');
      }
    }
    return [...new Set(labels)];
  }

  /** The labels to search with: undefined for an admin (everything), narrowed to `within` when given. */
  private async audienceOf(reader: Reader | undefined, within?: readonly string[]): Promise<string[] | undefined> {
    const own = reader && !reader.isAdmin ? await this.labelsOf(reader.userId) : undefined;
    if (!within) return own;
    return own ? within.filter((label) => own.includes(label)) : [...within];
  }

  private async visibleRecord(id: string, reader?: Reader): Promise<IndexedRecord | undefined> {
    const record = await this.ctx.search.get(id);
    if (!record || !reader || reader.isAdmin) return record;
    const labels = await this.labelsOf(reader.userId);
    return record.access.some((label) => labels.includes(label)) ? record : undefined;
  }

  private async changeShares(id: string, change: (shares: string[]) => string[]): Promise<boolean> {
    const record = await this.ctx.search.get(id);
    if (!record) return false;
    const data = itemData.parse(record.data);
    const shares = change(data.shares);
    return this.ctx.search.patch(id, {
      access: accessLabels(record.owner ?? 0, data.visibility, shares),
      data: { ...data, shares },
    });
  }

  private async addTags(record: IndexedRecord, tags: readonly string[]): Promise<ContentItem> {
    const merged = normaliseTags([...record.tags, ...tags]);
    if (merged.length !== record.tags.length) await this.ctx.search.patch(record.id, { tags: merged });
    return { ...toItem(record), tags: merged };
  }

  private async remember(origin: string | undefined, item: ContentItem): Promise<ContentItem> {
    if (origin) await this.ctx.storage.set(`origin:${origin}`, item.id);
    return item;
  }

  private async snippetOf(record: IndexedRecord, text: string | undefined) {
    const data = itemData.parse(record.data);
    const body = (await this.ctx.blobs.get(data.hash, { maxBytes: data.size }))?.toString('utf8') ?? '';
    return snippet(body, text ?? '');
  }

  /** The file's bytes when the configuration keeps files of its size; undefined otherwise. */
  private async download(file: MessageContent['file']): Promise<Buffer | undefined> {
    const { downloadFiles, maxFileBytes } = this.ctx.config;
    if (!file || !downloadFiles || (file.size ?? 0) > maxFileBytes) return undefined;
    try {
      return (await this.ctx.files.download(file.fileId, { maxBytes: maxFileBytes })).bytes;
    } catch (error) {
      // Kept by file_id all the same: Telegram still has it.
      this.ctx.log.warn({ err: error, fileId: file.fileId }, 'the file could not be downloaded; kept by its file_id');
      return undefined;
    }
  }

  private async embed(text: string): Promise<number[] | undefined> {
    if (!this.ctx.config.semanticSearch || !this.ctx.ai) return undefined;
    try {
      return (await this.ctx.ai.embed([text.slice(0, EMBED_CHARACTERS)]))[0];
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'no embedding (the server failed): full-text search alone for this one');
      return undefined;
    }
  }
}

/** Tags as kept: lower case, without `#`, unique, in order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const clean = tags
    .map((tag) => tag.replace(/^#/, '').trim().toLowerCase())
    .filter((tag) => /^[\p{L}\p{N}_-]{1,40}$/u.test(tag));
  return [...new Set(clean)].slice(0, 20);
}

function newId(): string {
  const bytes = randomBytes(ID_LENGTH);
  return Array.from(bytes, (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}
