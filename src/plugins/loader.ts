// Finds plugins on disk: every folder under the given directories is one, its entry file (see
// entry-file.ts) exporting a plugin definition. A folder without an entry, a failed import or a bad
// manifest is reported per folder; it never stops the others.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OmniError } from '../errors.js';
import type { PluginDefinition } from './api.js';
import { entryFile } from './entry-file.js';
import { checkManifest } from './manifest.js';
import { shareModulesWithPlugins } from './shared-modules.js';

export interface FoundPlugin {
  readonly definition: PluginDefinition;
  readonly dir: string;
}

export interface LoadProblem {
  /** The plugin's name if it got that far, else its folder's name. */
  readonly name: string;
  readonly dir: string;
  readonly error: OmniError;
}

/** `generation` busts Node's module cache, so that a reload imports the code on disk now. */
export async function discoverPlugins(
  dirs: readonly string[],
  generation = 0,
): Promise<{ found: FoundPlugin[]; problems: LoadProblem[] }> {
  shareModulesWithPlugins();
  const found: FoundPlugin[] = [];
  const problems: LoadProblem[] = [];
  for (const root of dirs) {
    if (!existsSync(root)) continue;
    const folders = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => path.join(root, entry.name))
      .sort();
    for (const dir of folders) {
      try {
        const entry = entryFile(dir);
        const module = (await import(`${pathToFileURL(entry).href}?v=${generation}`)) as Record<string, unknown>;
        found.push({ definition: checkManifest(module.default ?? module.plugin, path.basename(dir)), dir });
      } catch (error) {
        const omni =
          error instanceof OmniError
            ? error
            : new OmniError('PLUGIN_LOAD_FAILED', `${path.basename(dir)}: ${(error as Error).message ?? error}`);
        problems.push({ name: path.basename(dir), dir, error: omni });
      }
    }
  }
  return { found, problems };
}
