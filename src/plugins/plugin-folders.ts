// Lists the plugin folders under one root. A symlink to a folder is one too (operators link a plugin
// they work on elsewhere), reported with its target so the log says where the code comes from; a
// link leading nowhere is reported as broken rather than skipped. Names starting with "." and
// plain files (or links to them) are not plugins.
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export interface PluginFolder {
  readonly dir: string;
  /** Set when `dir` is a symlink: its target (the real path when it resolves). */
  readonly link?: { readonly target: string; readonly broken: boolean };
}

export function pluginFolders(root: string): PluginFolder[] {
  const folders: PluginFolder[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const dir = path.join(root, entry.name);
    if (entry.isDirectory()) folders.push({ dir });
    else if (entry.isSymbolicLink()) {
      const link = followLink(dir);
      if (link) folders.push({ dir, link });
    }
  }
  return folders.sort((a, b) => (a.dir < b.dir ? -1 : 1));
}

/** Where a link to a folder leads; undefined for a link to a file. */
function followLink(dir: string): PluginFolder['link'] {
  try {
    return statSync(dir).isDirectory() ? { target: realpathSync(dir), broken: false } : undefined;
  } catch {
    // Nothing there, or a loop of links: the link itself still says where it meant to go.
    return { target: path.resolve(path.dirname(dir), readlinkSync(dir)), broken: true };
  }
}
