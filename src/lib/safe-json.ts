// JSON that came from outside the process (a hand-edited row, a Redis message): what does not parse
// is undefined, for the schema that checks it next to refuse.
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
