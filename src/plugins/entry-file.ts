// Finds the file a plugin folder runs: package.json's "main", else index.js or index.mjs. What is
// wrong with the folder is thrown as the OmniError it is refused with, naming the folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { OmniError } from '../errors.js';

export function entryFile(dir: string): string | undefined {
  const main = declaredMain(dir);
  const candidates = [...(main ? [main] : []), 'index.js', 'index.mjs'];
  return candidates.map((file) => path.join(dir, file)).find((file) => existsSync(file));
}

/** package.json's "main", if the folder has one; a package.json that cannot be read is the folder's fault. */
function declaredMain(dir: string): string | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OmniError(
      'PLUGIN_LOAD_FAILED',
      `${path.basename(dir)}: package.json is not valid JSON: ${(error as Error).message}`,
    );
  }
  const main = (manifest as { main?: unknown } | null)?.main;
  if (main === undefined || typeof main === 'string') return main;
  throw new OmniError('PLUGIN_LOAD_FAILED', `${path.basename(dir)}: package.json "main" must be a string`);
}
