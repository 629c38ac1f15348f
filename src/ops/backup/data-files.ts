// The DATA_DIR files a backup keeps besides the database: generated secrets (the webhook secret),
// the knowledge files and corpus additions, and the operator's plugins folder. Each set is one plain tar part;
// restoring one writes its files over what is there and leaves other files alone.
import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { create, extract } from 'tar';

/**
 * What DATA_DIR holds that no database has: the generated secrets (src/config/secrets.ts), and the
 * operator's knowledge files and corpus additions (src/ai/local/engine.ts), one per language.
 */
const DATA_ENTRY = /^(secrets|knowledge\.md|knowledge\.[a-z]{2}\.md|corpus\.[a-z]{2}\.json)$/;

export interface FileSet {
  role: 'data-files' | 'plugins';
  /** The part's name in the archive. */
  name: string;
  dir: string;
  entries: () => string[];
}

export function fileSets(dataDir: string, pluginsDir: string): FileSet[] {
  return [
    {
      role: 'data-files',
      name: 'data-files.tar',
      dir: dataDir,
      entries: () => (existsSync(dataDir) ? readdirSync(dataDir).filter((entry) => DATA_ENTRY.test(entry)) : []),
    },
    {
      role: 'plugins',
      name: 'plugins.tar',
      dir: pluginsDir,
      entries: () => (existsSync(pluginsDir) ? readdirSync(pluginsDir) : []),
    },
  ];
}

/** Packs the set into `file`; false (and no file) when there is nothing to keep. */
export async function packFileSet(set: FileSet, file: string): Promise<boolean> {
  const entries = set.entries();
  if (entries.length === 0) return false;
  await create({ file, cwd: set.dir, portable: true }, entries);
  return true;
}

export async function unpackFileSet(set: FileSet, file: string): Promise<void> {
  await mkdir(set.dir, { recursive: true });
  await extract({ file, cwd: set.dir, strict: true, preservePaths: false });
}
