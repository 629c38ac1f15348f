// The configuration error and its exit code, apart from the zod schema (env.ts) so that the
// `omnicore` entry point can name them without loading zod for verbs that never read the config.

/** Exit code for a configuration error: EX_CONFIG from sysexits.h. */
export const CONFIG_EXIT_CODE = 78;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}
