// How long a service asked us to wait: its Retry-After header (RFC 9110 §10.2.3), as delay-seconds
// or an HTTP date. Both services' clients read it the same way.

/** Milliseconds (0 for a date already past); undefined when the header is absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
