// Finds plugins on disk: every folder (or symlink to one, see plugin-folders.ts) under the given
// directories is one, its entry file (see entry-file.ts) exporting a plugin definition. A folder without an entry, a failed import or a bad
// manifest is reported per folder; it never stops the others.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { OmniError } from '../errors.js';
import type { PluginDefinition } from './api.js';
import { entryFile } from './entry-file.js';
import { checkManifest } from './manifest.js';
import { pluginFolders } from './plugin-folders.js';
import { shareModulesWith } from './shared-modules.js';

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

/** A plugin folder that is a symlink, and the folder it leads to. */
export interface LinkedFolder {
  readonly dir: string;
  readonly target: string;
}

/**
 * `generation` busts Node's module cache, so that a reload imports the code on disk now; `wanted`
 * limits the look to some folders (the ones that appeared while the bot runs).
 */
export async function discoverPlugins(
  dirs: readonly string[],
  generation = 0,
  wanted: (dir: string) => boolean = () => true,
): Promise<{ found: FoundPlugin[]; problems: LoadProblem[]; linked: LinkedFolder[] }> {
  const found: FoundPlugin[] = [];
  const problems: LoadProblem[] = [];
  const linked: LinkedFolder[] = [];
  for (const root of dirs) {
    if (!existsSync(root)) continue;
    for (const { dir, link } of pluginFolders(root)) {
      if (!wanted(dir)) continue;
      try {
        if (link?.broken)
          throw new OmniError('PLUGIN_LOAD_FAILED', `${path.basename(dir)}: broken symlink to ${link.target}`);
        if (link) linked.push({ dir, target: link.target });
        const entry = entryFile(dir);
        shareModulesWith(entry);
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
  return { found, problems, linked };
}
