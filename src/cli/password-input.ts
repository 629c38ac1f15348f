// The password for `omnicore admin create|passwd`. Piped, it is the first line of stdin (so
// `echo "$PASSWORD" | omnicore admin create ops` works and it never shows in `ps`). Typed at a
// terminal, the input is hidden, Enter ends it, and it is asked twice so that a typo cannot lock
// the operator out.
import { text } from 'node:stream/consumers';

export async function readNewPassword(username: string): Promise<string> {
  if (!process.stdin.isTTY) return (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
  const [first, second] = await readHiddenLines([`Password for ${username}: `, 'Repeat it: ']);
  if (first !== second) throw new Error('the two passwords differ; nothing was changed');
  return first as string;
}

/** One hidden line per prompt, from a terminal in raw mode (no echo; Backspace edits; Ctrl-C cancels). */
function readHiddenLines(prompts: string[]): Promise<string[]> {
  const input = process.stdin;
  const lines: string[] = [];
  let line = '';
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
    };
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\u0003') {
          process.stderr.write('\n');
          finish();
          reject(new Error('cancelled'));
          return;
        }
        if (char === '\r' || char === '\n' || char === '\u0004') {
          process.stderr.write('\n');
          lines.push(line);
          line = '';
          if (lines.length === prompts.length) {
            finish();
            resolve(lines);
            return;
          }
          process.stderr.write(prompts[lines.length] as string);
        } else if (char === '\u007f' || char === '\b') {
          line = line.slice(0, -1);
        } else if (char >= ' ') {
          line += char;
        }
      }
    };
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
    process.stderr.write(prompts[0] as string);
  });
}
