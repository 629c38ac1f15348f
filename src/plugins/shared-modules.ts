// Lets a plugin anywhere on disk import the platform's own `omnicore`, `zod` and `grammy` when it
// has no copy of its own: a Node resolve hook retries such imports from this package's location.
// The hook is inline (a data: URL) because Node runs hooks as separate modules, and this way it
// works the same from dist/ and from the TypeScript sources under test. Node runs hooks on a thread
// of their own (about 9 MiB), so it is installed only when a plugin from outside the platform's own
// files is first imported: the built-in plugins find those modules as any file of the package does.
import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isInside } from './entry-file.js';

const HOOK = `
let platformUrl;
export function initialize(data) { platformUrl = data.platformUrl; }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (!/^(omnicore|zod|grammy)(\\/|$)/.test(specifier)) throw error;
    return next(specifier, { ...context, parentURL: platformUrl });
  }
}`;

/** The compiled platform (dist/, or src/ under the tests), built-in plugins included. */
const PLATFORM_DIR = realpathSync(fileURLToPath(new URL('../', import.meta.url)));

let registered = false;

/** Called with a plugin's entry file (its real path) before it is imported. */
export function shareModulesWith(entry: string): void {
  if (registered || isInside(PLATFORM_DIR, entry)) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { platformUrl: import.meta.url } });
}
