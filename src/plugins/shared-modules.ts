// Lets a plugin anywhere on disk import the platform's own `omnicore`, `zod` and `grammy` when it
// has no copy of its own: a Node resolve hook retries such imports from this package's location.
// The hook is inline (a data: URL) because Node runs hooks as separate modules, and this way it
// works the same from dist/ and from the TypeScript sources under test.
import { register } from 'node:module';

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

let registered = false;

export function shareModulesWithPlugins(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { platformUrl: import.meta.url } });
}
