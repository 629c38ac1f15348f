// A status's length as Mastodon counts it (StatusLengthValidator): every http(s) URL counts as the
// instance's reserved URL length, a remote mention only as its local part, the rest in code points.

/** http(s) URLs without the punctuation that ends a sentence around them (twitter-text leaves it out too). */
const URL_PATTERN = /https?:\/\/[^\s<>"]+?(?=[.,:;!?'")\]}…]*(?:\s|$))/giu;
/** Account::MENTION_RE: `@user@domain` counts as `@user`. */
const REMOTE_MENTION =
  /(?<![=/\w])(@[a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)@[\p{L}\p{M}\p{N}\p{Pc}.-]+[\p{L}\p{M}\p{N}\p{Pc}]/giu;

/** Where the URLs of a text start and end (UTF-16 indexes), to keep a split out of them. */
export function urlSpans(text: string): { start: number; end: number }[] {
  return [...text.matchAll(URL_PATTERN)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

export function statusLength(text: string, charactersReservedPerUrl: number): number {
  let urls = 0;
  const rest = text
    .replace(URL_PATTERN, () => {
      urls += 1;
      return ' ';
    })
    .replace(REMOTE_MENTION, '$1');
  return [...rest].length + urls * (charactersReservedPerUrl - 1);
}
