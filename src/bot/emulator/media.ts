// Photos and documents both ways: users send them to the bot; the bot sends them (one, or several as
// an album), replaces a message's media and edits captions, each file given as an upload, a file_id
// or a URL (see files.ts).
import { randomInt } from 'node:crypto';
import type { Message, User } from 'grammy/types';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import type { Sendable } from './chat-store.js';
import type { EmulatorCore, Method } from './events.js';
import { documentOf, type FileKind, photoSizes, type StoredFile, type Uploads } from './files.js';
import { type Formatted, formattedCaption } from './formatting.js';
import type { Messages, UserMessageOptions } from './messages.js';
import { entities, inlineKeyboardOf, json, type Params, parseMode, read, replyMarkup } from './params.js';
import { deliver, editTarget, notModified, outgoing, replaceMessage, sameJson } from './sending.js';

const RIGHTS: Record<FileKind, Sendable> = { photo: 'photos', document: 'documents' };
const MEDIA_NOT_FOUND = "can't parse InputMedia: media not found";

const inputMedia = z.looseObject({
  type: z.string(),
  media: z.string().min(1),
  caption: z.string().optional(),
  caption_entities: entities.optional(),
  parse_mode: parseMode,
});
type InputMedia = z.output<typeof inputMedia>;

export class Media {
  constructor(
    private readonly core: EmulatorCore,
    private readonly messages: Messages,
  ) {}

  // ── the chat side ───────────────────────────────────────────────────────────────────────────

  /** A user sends a photo (PNG, JPEG, GIF or WebP bytes) with an optional caption. */
  sendPhoto(user: User, image: Uint8Array, options: UserMessageOptions & { caption?: string } = {}): Message {
    return this.messages.fromUser(user, this.photo(image, options.caption), options);
  }

  /** A photo message's content, stored as a file the bot can download: for a channel's post. */
  photo(image: Uint8Array, caption?: string): Partial<Message> {
    return content(this.core.files.add('photo', Buffer.from(image), undefined), userCaption(caption));
  }

  /** A user sends a file as a document. */
  sendDocument(
    user: User,
    data: Uint8Array,
    fileName: string,
    options: UserMessageOptions & { caption?: string; mimeType?: string } = {},
  ): Message {
    const file = this.core.files.add('document', Buffer.from(data), fileName, options.mimeType);
    return this.messages.fromUser(user, content(file, userCaption(options.caption)), options);
  }

  // ── the bot side ────────────────────────────────────────────────────────────────────────────

  readonly methods: Record<string, Method> = {
    sendPhoto: (params, uploads) => this.sendOne('photo', params, uploads),
    sendDocument: (params, uploads) => this.sendOne('document', params, uploads),
    sendMediaGroup: async (params, uploads) => {
      const p = read({ media: json(z.array(inputMedia)) }, params);
      if (p.media.length === 0) throw badRequest('there are no messages to send');
      if (p.media.length > 10) throw badRequest('too many messages to send as an album');
      const kinds = p.media.map((item) => mediaKind(item));
      if (kinds.includes('document') && kinds.includes('photo'))
        throw badRequest("document can't be mixed with other media types");
      const captions = p.media.map((item) => formattedCaption(item.caption, item.parse_mode, item.caption_entities));
      // Albums carry no keyboard: Telegram ignores a reply_markup here.
      const { record, fields } = outgoing(
        this.core,
        { ...params, reply_markup: undefined },
        RIGHTS[kinds[0] as FileKind],
      );
      const files: StoredFile[] = [];
      for (const [index, item] of p.media.entries()) {
        files.push(await this.core.files.take(item.media, kinds[index] as FileKind, uploads, MEDIA_NOT_FOUND));
      }
      // A single item is sent as an ordinary message, outside any album, as Telegram does.
      const group = files.length > 1 ? { media_group_id: String(randomInt(2 ** 47, 2 ** 48)) } : {};
      return files.map((file, index) =>
        deliver(this.core, record, { ...fields, ...group, ...content(file, captions[index]) }),
      );
    },
    editMessageMedia: async (params, uploads) => {
      const target = editTarget(this.core, params);
      const p = read({ media: json(inputMedia), reply_markup: replyMarkup.optional() }, params);
      const kind = mediaKind(p.media);
      const current = target.message;
      if (!('photo' in current) && !('document' in current))
        throw badRequest('there is no media in the message to edit');
      if (current.media_group_id && kindOf(current) !== kind)
        throw badRequest("can't change the type of media in an album");
      const caption = formattedCaption(p.media.caption, p.media.parse_mode, p.media.caption_entities);
      const file = await this.core.files.take(p.media.media, kind, uploads, MEDIA_NOT_FOUND);
      const markup = inlineKeyboardOf(p.reply_markup);
      if (fileIdOf(current) === file.fileId && sameCaption(current, caption) && sameJson(current.reply_markup, markup))
        throw notModified();
      const {
        photo: _,
        document: __,
        caption: ___,
        caption_entities: ____,
        reply_markup: _____,
        ...rest
      } = current as Message & Partial<Message.PhotoMessage & Message.DocumentMessage>;
      return replaceMessage(this.core, target, {
        ...rest,
        ...content(file, caption),
        ...(markup ? { reply_markup: markup } : {}),
      } as Message);
    },
    editMessageCaption: (params) => {
      const target = editTarget(this.core, params);
      const p = read(
        { reply_markup: replyMarkup.optional(), caption_entities: entities.optional(), parse_mode: parseMode },
        params,
      );
      const caption = formattedCaption(params.caption, p.parse_mode, p.caption_entities);
      const current = target.message;
      if (!('photo' in current) && !('document' in current))
        throw badRequest('there is no caption in the message to edit');
      const markup = inlineKeyboardOf(p.reply_markup);
      if (sameCaption(current, caption) && sameJson(current.reply_markup, markup)) throw notModified();
      const { caption: _, caption_entities: __, reply_markup: ___, ...rest } = current;
      return replaceMessage(this.core, target, {
        ...rest,
        ...captionFields(caption),
        ...(markup ? { reply_markup: markup } : {}),
      } as Message);
    },
  };

  private async sendOne(kind: FileKind, params: Params, uploads: Uploads): Promise<Message> {
    const p = read({ caption_entities: entities.optional(), parse_mode: parseMode }, params);
    const caption = formattedCaption(params.caption, p.parse_mode, p.caption_entities);
    const { record, fields } = outgoing(this.core, params, RIGHTS[kind]);
    if (params[kind] === undefined) throw badRequest(`parameter "${kind}" is required`);
    const file = await this.core.files.take(params[kind], kind, uploads);
    return deliver(this.core, record, { ...fields, ...content(file, caption) });
  }
}

/** The part of a message that carries a file, with its caption. */
export function content(file: StoredFile, caption: Formatted | undefined): Partial<Message> {
  const media = file.kind === 'photo' ? { photo: photoSizes(file) } : { document: documentOf(file) };
  return { ...media, ...captionFields(caption) } as Partial<Message>;
}

/** A user's caption, as their app sends it: plain text within the limit. */
function userCaption(caption: string | undefined): Formatted | undefined {
  return formattedCaption(caption, undefined);
}

function captionFields(caption: Formatted | undefined): Partial<Message> {
  if (!caption) return {};
  return { caption: caption.text, ...(caption.entities ? { caption_entities: caption.entities } : {}) };
}

function sameCaption(message: Message, caption: Formatted | undefined): boolean {
  return message.caption === caption?.text && sameJson(message.caption_entities, caption?.entities);
}

function mediaKind(item: InputMedia): FileKind {
  if (item.type === 'photo' || item.type === 'document') return item.type;
  if (['video', 'audio', 'animation'].includes(item.type))
    throw badRequest(`the emulator does not send media of type "${item.type}"; photos and documents only`);
  throw badRequest(`can't parse InputMedia: type "${item.type}" is unsupported`);
}

function kindOf(message: Message): FileKind | undefined {
  return 'photo' in message ? 'photo' : 'document' in message ? 'document' : undefined;
}

function fileIdOf(message: Message): string | undefined {
  return message.photo?.at(-1)?.file_id ?? message.document?.file_id;
}
