// Times and lengths as people write them in a chat: `in 2h`, `+1h30m`, `09:00`, `tomorrow 09:00`,
// `2026-12-01 09:00` (UTC unless the text says otherwise), and durations like `30m` or `1d`.

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DAY_MS = UNIT_MS.d as number;

/** `1h30m`, `2d`, `45s` → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d{1,4})([smhdw]))+$/i.exec(text);
  if (!match) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.toLowerCase().matchAll(/(\d{1,4})([smhdw])/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] as number);
  }
  return total;
}

/**
 * The moment the start of `text` names, and the rest of the text; undefined when it names none.
 * `now` anchors relative times.
 */
export function parseWhen(text: string, now: number): { at: number; rest: string } | undefined {
  const words = text.trim().split(/\s+/);
  const rest = (taken: number) => words.slice(taken).join(' ');
  const [first = '', second = ''] = words;

  if (first.toLowerCase() === 'in') {
    const ms = parseDuration(second);
    return ms === undefined ? undefined : { at: now + ms, rest: rest(2) };
  }
  if (first.startsWith('+')) {
    const ms = parseDuration(first.slice(1));
    return ms === undefined ? undefined : { at: now + ms, rest: rest(1) };
  }
  if (first.toLowerCase() === 'tomorrow') {
    const time = clock(second);
    if (!time) return undefined;
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    return { at: today + DAY_MS + time, rest: rest(2) };
  }
  const time = clock(first);
  if (time !== undefined) {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    const at = today + time > now ? today + time : today + DAY_MS + time;
    return { at, rest: rest(1) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(first)) {
    const time2 = clock(second);
    const at = Date.parse(`${first}T00:00:00Z`) + (time2 ?? 0);
    return Number.isNaN(at) ? undefined : { at, rest: rest(time2 === undefined ? 1 : 2) };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(first)) {
    const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(first) ? first : `${first}Z`;
    const at = Date.parse(zoned);
    return Number.isNaN(at) ? undefined : { at, rest: rest(1) };
  }
  return undefined;
}

/** `09:00` → milliseconds after midnight. */
function clock(text: string): number | undefined {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 3_600_000 + Number(match[2]) * 60_000 : undefined;
}
