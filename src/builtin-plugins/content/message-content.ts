// What a Telegram message gives the store: its kind, a title, the text to keep and search, where it
// came from, and the file it carries. Pure: downloading the file is the caller's choice.
import type { ContentKind, SavableMessage } from './service.js';

export interface MessageContent {
  kind: ContentKind;
  title: string;
  text: string;
  source: string | null;
  file?: { fileId: string; fileName?: string; mimeType?: string; size?: number };
}

const TITLE_LENGTH = 80;

type Entity = NonNullable<SavableMessage['entities']>[number];

export function messageContent(message: SavableMessage): MessageContent {
  const text = message.text ?? message.caption ?? '';
  const entities = message.entities ?? message.caption_entities ?? [];
  const links = linksOf(text, entities);
  const forwardedFrom = originName(message.forward_origin);
  const source = forwardedFrom ? `forwarded from ${forwardedFrom}` : (links[0] ?? null);
  const photo = message.photo?.at(-1);
  if (photo) {
    const file = { fileId: photo.file_id, ...(photo.file_size ? { size: photo.file_size } : {}) };
    return { kind: 'photo', title: titleOf(text) || 'Photo', text, source, file };
  }
  const document = message.document;
  if (document) {
    const file = {
      fileId: document.file_id,
      ...(document.file_name ? { fileName: document.file_name } : {}),
      ...(document.mime_type ? { mimeType: document.mime_type } : {}),
      ...(document.file_size ? { size: document.file_size } : {}),
    };
    const name = document.file_name ?? 'Document';
    return {
      kind: 'document',
      title: titleOf(text) || name,
      text: [text, name].filter(Boolean).join('\n'),
      source,
      file,
    };
  }
  const kind: ContentKind = forwardedFrom ? 'forward' : links.length > 0 ? 'link' : 'text';
  return { kind, title: titleOf(text) || links[0] || 'Note', text, source };
}

/** The first line, cut at a word near TITLE_LENGTH characters. */
export function titleOf(text: string): string {
  const line = text.trim().split('\n', 1)[0]?.trim() ?? '';
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > TITLE_LENGTH / 2 ? space : TITLE_LENGTH)}…`;
}

function linksOf(text: string, entities: readonly Entity[]): string[] {
  const links: string[] = [];
  for (const entity of entities) {
    if (entity.type === 'text_link' && entity.url) links.push(entity.url);
    // Offsets count UTF-16 code units, as JavaScript strings do.
    if (entity.type === 'url') links.push(text.slice(entity.offset, entity.offset + entity.length));
  }
  return links;
}

/** "Ada Lovelace", "@channel", "a hidden user": whom a forward names (Bot API MessageOrigin). */
function originName(origin: unknown): string | undefined {
  if (!origin || typeof origin !== 'object') return undefined;
  const o = origin as {
    type?: string;
    sender_user?: { first_name?: string; last_name?: string; username?: string };
    sender_user_name?: string;
    sender_chat?: { title?: string; username?: string };
    chat?: { title?: string; username?: string };
  };
  const chat = o.chat ?? o.sender_chat;
  switch (o.type) {
    case 'user':
      return [o.sender_user?.first_name, o.sender_user?.last_name].filter(Boolean).join(' ') || 'a user';
    case 'hidden_user':
      return o.sender_user_name || 'a hidden user';
    case 'chat':
    case 'channel':
      return chat?.username ? `@${chat.username}` : (chat?.title ?? 'a chat');
    default:
      return undefined;
  }
}
