// The operator's `.env` file: read from the working directory (not DATA_DIR, which it may itself
// set) into process.env before the configuration is validated, so its values go through the same
// zod schema and fail the same way. A variable already set in the environment wins over the file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config-error.js';

export const ENV_FILE = '.env';

/** Copies the variables of `dir/.env` that `env` lacks into `env`; returns their names. No file: none. */
export function loadEnvFile(dir: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): string[] {
  const file = path.join(dir, ENV_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ConfigError(ENV_FILE, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const applied: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    // An empty variable counts as unset, as in loadConfig: it does not hide the file's value.
    if (env[name] !== undefined && env[name] !== '') continue;
    env[name] = value;
    applied.push(name);
  }
  return applied;
}
