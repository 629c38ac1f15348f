// A job's payload, state and result as stored: JSON text of at most 64 KiB, refused with JOB_TOO_LARGE
// (or JOB_NOT_JSON) before anything is written.
import { OmniError } from '../../errors.js';
import { byteSize } from '../../lib/byte-size.js';

export const MAX_JOB_JSON_BYTES = 64 * 1024;

export function encodeJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch (error) {
    throw new OmniError('JOB_NOT_JSON', `${what}: ${(error as Error).message}`);
  }
  if (text === undefined) throw new OmniError('JOB_NOT_JSON', `${what}: a ${typeof value} is not JSON`);
  const size = Buffer.byteLength(text);
  if (size > MAX_JOB_JSON_BYTES) {
    throw new OmniError(
      'JOB_TOO_LARGE',
      `${what} is ${byteSize(size)} as JSON; the limit is ${byteSize(MAX_JOB_JSON_BYTES)}`,
    );
  }
  return text;
}

export function decodeJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}
