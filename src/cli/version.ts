// `omnicore version` (and `omnicore --version`): prints the platform's version.
import { VERSION } from '../version.js';
import { UsageError } from './usage.js';

export async function runVersion(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  console.log(VERSION);
  return 0;
}
