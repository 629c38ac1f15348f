// The progress a plugin's verb reports (CliCall.progress), on stderr: on a terminal a bar redrawn in
// place, `[#####.....] 50% 5,000/10,000`; in a log or a pipe a line at most every 2 s, and the last
// state once the verb ends, so scripts see how far it got without a flood of lines.

const BAR_WIDTH = 10;
const TERMINAL_REDRAW_MS = 100;
const LINE_EVERY_MS = 2000;

export interface Progress {
  report(done: number, total?: number): void;
  /** The verb ended: the last state shown (and the bar's line ended). */
  end(): void;
}

interface Output {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** `[#####.....] 50% 5,000/10,000`, or `5,000 done` without a total. */
export function progressText(done: number, total?: number): string {
  const count = done.toLocaleString('en-US');
  if (total === undefined || total <= 0) return `${count} done`;
  const ratio = Math.min(1, done / total);
  const filled = Math.floor(ratio * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  return `[${bar}] ${Math.floor(ratio * 100)}% ${count}/${total.toLocaleString('en-US')}`;
}

export function progressOn(output: Output, now: () => number = Date.now): Progress {
  const terminal = output.isTTY === true;
  const every = terminal ? TERMINAL_REDRAW_MS : LINE_EVERY_MS;
  let latest: string | undefined;
  let shown: string | undefined;
  let shownAt = Number.NEGATIVE_INFINITY;
  const show = (text: string): void => {
    output.write(terminal ? `\r\u001b[K${text}` : `${text}\n`);
    shown = text;
    shownAt = now();
  };
  return {
    report(done, total) {
      if (!Number.isFinite(done) || done < 0 || (total !== undefined && !(Number.isFinite(total) && total >= 0))) {
        throw new TypeError(`progress(${done}, ${total}): done and total are numbers of 0 or more`);
      }
      latest = progressText(done, total);
      if (now() - shownAt >= every) show(latest);
    },
    end() {
      if (latest === undefined) return;
      if (latest !== shown) show(latest);
      if (terminal) output.write('\n');
    },
  };
}
