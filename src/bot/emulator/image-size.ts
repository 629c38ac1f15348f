// The width and height written in an image's header (PNG, JPEG, GIF, WebP): what Telegram reads
// when a bot sends a photo. The emulator keeps the bytes as sent and decodes nothing else.
export interface ImageInfo {
  width: number;
  height: number;
  extension: 'png' | 'jpg' | 'gif' | 'webp';
  mimeType: string;
}

export function imageInfo(bytes: Buffer): ImageInfo | undefined {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.toString('latin1', 12, 16) === 'IHDR') {
    return sized(bytes.readUInt32BE(16), bytes.readUInt32BE(20), 'png', 'image/png');
  }
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 4) === 'GIF8') {
    return sized(bytes.readUInt16LE(6), bytes.readUInt16LE(8), 'gif', 'image/gif');
  }
  if (bytes.length >= 30 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return webp(bytes);
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpeg(bytes);
  return undefined;
}

function sized(
  width: number,
  height: number,
  extension: ImageInfo['extension'],
  mimeType: string,
): ImageInfo | undefined {
  return width > 0 && height > 0 ? { width, height, extension, mimeType } : undefined;
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds the size. */
function jpeg(bytes: Buffer): ImageInfo | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    const length = bytes.readUInt16BE(at + 2);
    const startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) return sized(bytes.readUInt16BE(at + 7), bytes.readUInt16BE(at + 5), 'jpg', 'image/jpeg');
    at += 2 + length;
  }
  return undefined;
}

function webp(bytes: Buffer): ImageInfo | undefined {
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return sized(1 + bytes.readUIntLE(24, 3), 1 + bytes.readUIntLE(27, 3), 'webp', 'image/webp');
  if (chunk === 'VP8 ')
    return sized(bytes.readUInt16LE(26) & 0x3fff, bytes.readUInt16LE(28) & 0x3fff, 'webp', 'image/webp');
  if (chunk === 'VP8L') {
    const bits = bytes.readUInt32LE(21);
    return sized(1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff), 'webp', 'image/webp');
  }
  return undefined;
}
