// The public plugin API's handles for content (part of `omnicore/plugin`): a full-text and vector
// search index of the plugin's records, compressed deduplicated blobs, files users sent, and verbs
// of the `omnicore` command. Each is scoped to the plugin that holds it.
import type { Readable, Writable } from 'node:stream';

/** A record the plugin indexes; the index keeps what it needs to find it, not the text itself. */
export interface SearchRecord {
  /** The plugin's id for it: 1–128 characters; putting the same id again replaces the record. */
  id: string;
  /** Ranked above the text when words match it. */
  title?: string;
  /** What full-text search finds the record by (up to 1 MiB); not returned: keep the content yourself (e.g. in ctx.blobs). */
  text: string;
  /** An ISO 639-1 code (`en`, `de`, …): how the words are stemmed where the database knows the language. */
  language?: string;
  /** A short word for the sort of record (`text`, `link`, `photo`, …), for filters. */
  kind?: string;
  /** The Telegram user the record belongs to. */
  owner?: number;
  tags?: string[];
  /**
   * Labels of who may find it (e.g. `public`, `user:42`, `unit:7`): a query with an `audience` finds
   * only records that carry one of the audience's labels. A record without labels is found only by
   * queries without an audience.
   */
  access?: string[];
  /** Milliseconds since the epoch; now when absent. */
  createdAt?: number;
  /** Anything JSON holds (up to 16 KiB), handed back with the record. */
  data?: unknown;
  /** An embedding of the record (every record of the plugin with the same length), for `vector` queries. */
  vector?: readonly number[];
}

/** What `patch` may change without indexing the text again. */
export type SearchRecordPatch = Partial<Pick<SearchRecord, 'title' | 'kind' | 'owner' | 'tags' | 'access' | 'data'>>;

/** A record as the index holds it. */
export interface IndexedRecord {
  id: string;
  title: string;
  language: string;
  kind: string | null;
  owner: number | null;
  tags: string[];
  access: string[];
  createdAt: number;
  data: unknown;
}

export interface SearchFilter {
  /** Records carrying every one of these tags. */
  tags?: string[];
  kind?: string;
  owner?: number;
  /** Created at or after (ms since the epoch). */
  after?: number;
  /** Created before (ms since the epoch). */
  before?: number;
  /** Who asks, as labels (see SearchRecord.access); absent: every record. */
  audience?: readonly string[];
}

export interface SearchQuery extends SearchFilter {
  /**
   * Words as a user types them: every word must match (a word's last letters may differ), "quoted
   * phrases" match as phrases, -word excludes. Any text is accepted; syntax of the database's search
   * language means nothing here. Absent or blank: the filtered records, newest first.
   */
  text?: string;
  /** An embedding to rank by cosine similarity; with `text`, both rankings fused (reciprocal rank fusion). */
  vector?: readonly number[];
  /** The cosine similarity (-1 to 1) below which the vector ranking leaves a record out: without it,
   *  every record with an embedding is somewhere in the ranking, however unrelated. */
  minSimilarity?: number;
  /** 1–100, default 10. */
  limit?: number;
  /** Hits to skip, for the next page: 0–10,000. */
  offset?: number;
}

export interface SearchHit extends IndexedRecord {
  /** Higher is better; comparable within one query only. */
  score: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** The offset of the next page, when there are more hits. */
  next?: number;
}

/** A full-text (and, with embeddings, similarity) index of the plugin's records: SQLite FTS5 or PostgreSQL tsvector. */
export interface PluginSearch {
  put(record: SearchRecord): Promise<void>;
  /** Puts many records in one transaction (imports). */
  putMany(records: readonly SearchRecord[]): Promise<void>;
  /** Changes a record's fields other than its text; false when there is no such record. */
  patch(id: string, change: SearchRecordPatch): Promise<boolean>;
  get(id: string): Promise<IndexedRecord | undefined>;
  remove(id: string): Promise<boolean>;
  query(query: SearchQuery): Promise<SearchPage>;
  count(filter?: SearchFilter): Promise<number>;
  /** Every record matching `filter`, oldest first, read a batch at a time (exports, migrations). */
  scan(filter?: SearchFilter): AsyncIterable<IndexedRecord>;
}

/** A piece of a snippet: the text around the matches, and the matches to highlight. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export type BlobCodec = 'br' | 'gzip' | 'none';

export interface BlobInfo {
  /** The SHA-256 of the bytes, in hex: the blob's name. */
  hash: string;
  /** Bytes as put. */
  size: number;
  /** Bytes as stored. */
  storedSize: number;
  /** How they are stored; recorded per blob, so the default can change. */
  codec: BlobCodec;
}

export interface BlobStats {
  blobs: number;
  bytes: number;
  storedBytes: number;
}

/**
 * Bytes kept compressed in the database, by content: the same bytes put twice are stored once. Each
 * `put` holds a reference to its blob and each `release` drops one; the last release deletes it.
 */
export interface PluginBlobs {
  /** Stores bytes (or a string, as UTF-8); brotli unless told, kept as they are when that saves nothing. Up to 20 MiB. */
  put(data: Uint8Array | string, options?: { codec?: BlobCodec }): Promise<BlobInfo>;
  /** The bytes, decompressed no further than `maxBytes` (the blob's size by default): a larger blob
   *  throws BLOB_TOO_LARGE. Undefined when there is no such blob. */
  get(hash: string, options?: { maxBytes?: number }): Promise<Buffer | undefined>;
  info(hash: string): Promise<BlobInfo | undefined>;
  /** Drops one reference; true when the blob was deleted with it. */
  release(hash: string): Promise<boolean>;
  stats(): Promise<BlobStats>;
}

export interface DownloadedFile {
  bytes: Buffer;
  /** Telegram's file_path for it. */
  path: string;
}

/** Files users sent, by their Telegram file_id. */
export interface PluginFiles {
  /** Fetches a file through the Bot API (getFile, then its URL): at most `maxBytes` (20 MiB, what
   *  Telegram lets bots download, by default); a larger file throws FILE_TOO_LARGE without being read. */
  download(fileId: string, options?: { maxBytes?: number }): Promise<DownloadedFile>;
}

/** What a verb of the plugin's is run with. */
export interface CliCall {
  /** The words after `omnicore <plugin> <verb>`. */
  args: string[];
  stdin: Readable;
  stdout: Writable;
  /** Shows progress on stderr (a bar on a terminal, a line now and then otherwise). */
  progress(done: number, total?: number): void;
  /** Ends the verb as bad usage (exit 2) with this message. */
  usage(message: string): never;
}

export interface CliVerb {
  /** One line for `omnicore --help`. */
  summary: string;
  /** What `omnicore <plugin> <verb> --help` prints. */
  usage: string;
  /** The exit code (0 when nothing is returned); a thrown error is printed in one line and exits 1. */
  run(call: CliCall): Promise<number | undefined> | number | undefined;
}

/** Verbs of the `omnicore` command, run as `omnicore <plugin> <verb>` on the same DATA_DIR and
 *  database as the server, whether the plugin is on or not. During a verb, only the plugin's
 *  storage, search, blobs, secrets, integrations and config are at hand: no bot, no alerts, no
 *  schedules, no onEnable hooks. */
export interface PluginCli {
  verb(name: string, verb: CliVerb): void;
}
