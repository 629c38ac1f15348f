// The configuration error and its exit code, apart from the zod schema (env.ts) so that the
// `omnicore` entry point can name them without loading zod for verbs that never read the config.
import { OmniError } from '../errors.js';

/** Exit code for a configuration error: EX_CONFIG from sysexits.h. */
export const CONFIG_EXIT_CODE = 78;

/** What is wrong with one variable; the message reads "configuration error: VARIABLE: problem". */
export class ConfigError extends OmniError {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${problem}`);
  }
}
