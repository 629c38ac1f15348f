// A status's HTML content as plain text: line breaks and paragraphs kept, tags dropped, entities decoded.

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/giu, '\n')
    .replace(/<\/p>\s*<p[^>]*>/giu, '\n\n')
    .replace(/<[^>]*>/gu, '')
    .replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/giu, (entity, decimal, hex, name) => {
      const codePoint = decimal ? Number(decimal) : hex ? Number.parseInt(hex, 16) : undefined;
      if (codePoint === undefined) return ENTITIES[String(name).toLowerCase()] ?? entity;
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    })
    .trim();
}
