// The log of one update attempt, kept in its update_history row: every step's output appended, and
// bounded so that a chatty `npm ci` cannot grow the row without end (the oldest output goes first).
export const MAX_LOG_CHARS = 64 * 1024;
const CUT = '[… earlier output cut …]\n';

export class UpdateLog {
  private text: string;

  constructor(initial = '') {
    this.text = initial;
  }

  append(chunk: string): void {
    const line = chunk.endsWith('\n') ? chunk : `${chunk}\n`;
    const joined = this.text + line;
    this.text =
      joined.length <= MAX_LOG_CHARS ? joined : CUT + joined.slice(joined.length - MAX_LOG_CHARS + CUT.length);
  }

  toString(): string {
    return this.text;
  }
}
