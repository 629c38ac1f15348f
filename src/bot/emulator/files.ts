// Files as Telegram keeps them: each photo or document gets a file_id (to send it again) and a
// file_unique_id; getFile gives it a file_path, under which the bytes are downloaded from
// /file/bot<token>/<file_path>. A file to send comes as an upload (multipart, by name or attach://),
// a file_id, or a URL that is fetched, with Telegram's limits and refusals.
import { randomBytes } from 'node:crypto';
import type { Document, File, PhotoSize } from 'grammy/types';
import { badRequest } from './api-error.js';
import { imageInfo } from './image-size.js';

export interface Upload {
  bytes: Buffer;
  fileName: string | undefined;
}
export type Uploads = ReadonlyMap<string, Upload>;

export type FileKind = 'photo' | 'document';

export interface StoredFile {
  kind: FileKind;
  fileId: string;
  uniqueId: string;
  bytes: Buffer;
  fileName?: string;
  mimeType?: string;
  width?: number;
  height?: number;
  extension: string;
  path?: string;
}

const MB = 1024 * 1024;
const MAX_PHOTO = 10 * MB;
const MAX_DOWNLOAD = 20 * MB;
const URL_LIMITS: Record<FileKind, number> = { photo: 5 * MB, document: 20 * MB };
/** Oldest files are forgotten past this, so that a long emulator session cannot fill the memory. */
const MAX_STORED_BYTES = 256 * MB;
// Telegram's file ids open with a tag of the file's type; bots sometimes log or compare them.
const ID_TAG: Record<FileKind, string> = { photo: 'AgAC', document: 'BQAC' };
const FOLDER: Record<FileKind, string> = { photo: 'photos', document: 'documents' };
const TYPE_NAME: Record<FileKind, string> = { photo: 'Photo', document: 'Document' };

const MIME_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  zip: 'application/zip',
  json: 'application/json',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  md: 'text/markdown',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private storedBytes = 0;
  private nextPath = 0;

  /** Keeps new content as a file of `kind`; a photo must be an image Telegram can read. */
  add(kind: FileKind, bytes: Buffer, fileName: string | undefined, mimeType?: string): StoredFile {
    if (bytes.length === 0) throw badRequest('file must be non-empty');
    const file: StoredFile = {
      kind,
      fileId: `${ID_TAG[kind]}${randomBytes(24).toString('base64url')}`,
      uniqueId: `AQAD${randomBytes(9).toString('base64url')}`,
      bytes,
      extension: extensionOf(fileName) ?? 'dat',
    };
    if (kind === 'photo') {
      if (bytes.length > MAX_PHOTO)
        throw badRequest(
          `file of size ${bytes.length} bytes is too big for a photo; the maximum size is ${MAX_PHOTO} bytes`,
        );
      const image = imageInfo(bytes);
      if (!image) throw badRequest('IMAGE_PROCESS_FAILED');
      if (
        image.width + image.height > 10_000 ||
        Math.max(image.width, image.height) / Math.min(image.width, image.height) > 20
      )
        throw badRequest('PHOTO_INVALID_DIMENSIONS');
      Object.assign(file, {
        width: image.width,
        height: image.height,
        extension: image.extension,
        mimeType: image.mimeType,
      });
    } else {
      file.fileName = fileName ?? `document.${file.extension}`;
      file.mimeType = mimeType ?? MIME_TYPES[file.extension] ?? 'application/octet-stream';
    }
    this.byId.set(file.fileId, file);
    this.storedBytes += bytes.length;
    this.forgetOldest();
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** The file a download path names, once getFile gave it one. */
  atPath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }

  /**
   * The file a send parameter names: an upload (`attach://<part>`), a file_id of the right kind, or
   * an http(s) URL that is fetched. `missing` words the refusal when an attach:// part is absent.
   */
  async take(
    value: unknown,
    kind: FileKind,
    uploads: Uploads,
    missing = 'wrong file identifier/HTTP URL specified',
  ): Promise<StoredFile> {
    if (typeof value !== 'string' || value === '') throw badRequest('wrong file identifier/HTTP URL specified');
    if (value.startsWith('attach://')) {
      const upload = uploads.get(value.slice('attach://'.length));
      if (!upload) throw badRequest(missing);
      return this.add(kind, upload.bytes, upload.fileName);
    }
    if (/^https?:\/\//i.test(value)) return this.fetched(value, kind);
    const known = this.byId.get(value);
    if (!known) throw badRequest('wrong file identifier/HTTP URL specified');
    if (known.kind !== kind) throw badRequest(`can't use file of type ${TYPE_NAME[known.kind]} as ${TYPE_NAME[kind]}`);
    return known;
  }

  /** getFile: the file's description with a path to download it from. */
  describe(fileId: unknown): File {
    const file = typeof fileId === 'string' ? this.byId.get(fileId) : undefined;
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > MAX_DOWNLOAD) throw badRequest('file is too big');
    if (!file.path) {
      file.path = `${FOLDER[file.kind]}/file_${this.nextPath++}.${file.extension}`;
      this.byPath.set(file.path, file);
    }
    return { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length, file_path: file.path };
  }

  private async fetched(url: string, kind: FileKind): Promise<StoredFile> {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    if (!response?.ok) throw badRequest('failed to get HTTP URL content');
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > URL_LIMITS[kind]) throw badRequest('failed to get HTTP URL content');
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > URL_LIMITS[kind]) throw badRequest('failed to get HTTP URL content');
    if (bytes.length === 0) throw badRequest('wrong type of the web page content');
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || undefined;
    const type = response.headers.get('content-type')?.split(';')[0]?.trim();
    return this.add(kind, bytes, name, type);
  }

  private forgetOldest(): void {
    for (const file of this.byId.values()) {
      if (this.storedBytes <= MAX_STORED_BYTES) return;
      this.byId.delete(file.fileId);
      if (file.path) this.byPath.delete(file.path);
      this.storedBytes -= file.bytes.length;
    }
  }
}

/** A photo as a message carries it. The emulator keeps one size, the photo as sent. */
export function photoSizes(file: StoredFile): PhotoSize[] {
  return [
    {
      file_id: file.fileId,
      file_unique_id: file.uniqueId,
      file_size: file.bytes.length,
      width: file.width ?? 0,
      height: file.height ?? 0,
    },
  ];
}

export function documentOf(file: StoredFile): Document {
  return {
    file_id: file.fileId,
    file_unique_id: file.uniqueId,
    file_size: file.bytes.length,
    file_name: file.fileName ?? `document.${file.extension}`,
    mime_type: file.mimeType ?? 'application/octet-stream',
  };
}

function extensionOf(fileName: string | undefined): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(fileName ?? '');
  return match?.[1]?.toLowerCase();
}
