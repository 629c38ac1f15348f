// Reads multipart/form-data as Telegram's server does, tolerantly: grammY writes its part headers
// without spaces (`content-disposition:form-data;name="x";filename=a b.jpg`) and leaves the file
// name unquoted, which stricter parsers (undici's FormData) refuse. Text parts become parameters;
// file parts become uploads, reachable by their part name (`attach://<name>`).
import type { Upload } from './files.js';

export interface MultipartBody {
  fields: Record<string, string>;
  uploads: Map<string, Upload>;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** The parts of a multipart body, or undefined if it is not one (no boundary, no closing delimiter). */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) return undefined;
  const delimiter = Buffer.from(`--${marker}`);
  const result: MultipartBody = { fields: {}, uploads: new Map() };
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return result;
    if (!body.subarray(at, at + 2).equals(CRLF)) return undefined;
    const headersEnd = body.indexOf(HEADERS_END, at + 2);
    if (headersEnd < 0) return undefined;
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headersEnd + 4);
    if (next < 0) return undefined;
    const part = partHeaders(body.subarray(at + 2, headersEnd).toString('utf8'));
    const content = body.subarray(headersEnd + 4, next);
    if (part.name !== undefined) {
      if (part.fileName === undefined) result.fields[part.name] = content.toString('utf8');
      else result.uploads.set(part.name, { bytes: Buffer.from(content), fileName: part.fileName || undefined });
    }
    at = next + CRLF.length;
  }
}

function partHeaders(text: string): { name?: string; fileName?: string } {
  const disposition = text
    .split('\r\n')
    .find((line) => /^content-disposition\s*:/i.test(line))
    ?.replace(/^content-disposition\s*:/i, '');
  if (!disposition) return {};
  const name = /(?:^|;)\s*name=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(disposition);
  const fileName = /(?:^|;)\s*filename=(?:"((?:[^"\\]|\\.)*)"\s*(?:;|$)|(.*))/i.exec(disposition);
  return {
    ...(name ? { name: (name[1] ?? name[2] ?? '').trim() } : {}),
    ...(fileName ? { fileName: (fileName[1] ?? fileName[2] ?? '').trim() } : {}),
  };
}

/** A file part named like a parameter stands for that parameter, as if it said attach://<name>. */
export function withUploadsNamed(
  fields: Record<string, unknown>,
  uploads: ReadonlyMap<string, Upload>,
): Record<string, unknown> {
  const params = { ...fields };
  for (const name of uploads.keys()) params[name] ??= `attach://${name}`;
  return params;
}
