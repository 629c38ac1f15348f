// The `content-disposition: attachment` header for a file name anyone may have chosen: no control
// characters or quotes that could end the header early, an ASCII fallback, and the exact name in
// RFC 5987's `filename*` (RFC 6266) when it is not plain ASCII.

/** Enough for any file system, short enough for any header limit. */
const MAX_LENGTH = 200;

/** `attachment; filename="…"` (and `filename*=UTF-8''…` for a name beyond printable ASCII). */
export function attachmentDisposition(fileName: string): string {
  const name =
    [...fileName.slice(0, MAX_LENGTH)]
      .map((char) => (unsafe(char) ? '_' : char))
      .join('')
      .trim() || 'download';
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  if (fallback === name) return `attachment; filename="${name}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** What no file name keeps: controls (a CR/LF would start a new header), path separators, and
 *  halves of surrogate pairs (which no encoding can write). */
function unsafe(char: string): boolean {
  const code = char.codePointAt(0) as number;
  return (
    code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || char === '/' || char === '\\'
  );
}

/** Percent-encodes all but RFC 5987's attr-char. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
