// Bad usage of a verb (unknown option, missing or extra argument): main prints it on one line and
// exits 2, as DESIGN.md §3 promises, instead of the 1 that means the command itself failed.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs reports an unknown option or a missing value with these codes. */
export function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');
}

/** The first line of a message: the contract promises one-line errors (parseArgs' messages, a plugin's, can span more). */
export function oneLine(message: string): string {
  return message.split('\n')[0] as string;
}
