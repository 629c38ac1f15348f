// Trained intent models kept on disk (CACHE_DIR/intent-models), one file per language and training
// set: a start whose command set and corpus were trained before loads its models in tens of
// milliseconds instead of training them for most of a second. A file is named by the hash of all
// that made its model (the labelled sentences, and the code and nlp.js version that trained them),
// so a stale one is never read; a missing, unreadable or corrupt one only means training again. The
// least recently used files beyond a few dozen are removed.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Enough for every language of a few command sets (plugins switched on and off) side by side. */
const KEEP_FILES = 32;
const SUFFIX = '.json';

export interface ModelCache {
  /** The model stored under `key`, or undefined (never stored, or not readable). */
  read(key: string): Promise<unknown>;
  write(key: string, model: unknown): Promise<void>;
}

/** `onProblem`: a file that could not be read or written; the cache goes on without it. */
export function modelCache(dir: string, onProblem: (error: unknown, file: string) => void): ModelCache {
  const fileOf = (key: string) => path.join(dir, `${key}${SUFFIX}`);
  return {
    async read(key) {
      const file = fileOf(key);
      try {
        const model: unknown = JSON.parse(await readFile(file, 'utf8'));
        const now = new Date();
        await utimes(file, now, now);
        return model;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(error, file);
        return undefined;
      }
    },
    async write(key, model) {
      const file = fileOf(key);
      // Written aside and renamed: a reader (another process starting) sees a whole file or none.
      const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(partial, JSON.stringify(model));
        await rename(partial, file);
        await prune(dir);
      } catch (error) {
        onProblem(error, file);
        await rm(partial, { force: true }).catch(() => {});
      }
    },
  };
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((name) => name.endsWith(SUFFIX));
  if (names.length <= KEEP_FILES) return;
  const aged = await Promise.all(
    names.map(async (name) => ({
      file: path.join(dir, name),
      usedAt: await stat(path.join(dir, name)).then(
        (stats) => stats.mtimeMs,
        () => 0,
      ),
    })),
  );
  aged.sort((a, b) => b.usedAt - a.usedAt);
  await Promise.all(aged.slice(KEEP_FILES).map(({ file }) => rm(file, { force: true })));
}

/** The modules whose code decides what training makes of a set: beside this one, in src or dist alike. */
const TRAINER_MODULES = ['classifier', 'ngram-model', 'stemmer', 'augment'];

let fingerprint: string | undefined;

/** Names what trained a model: our trainer's code and nlp.js's version. A change to either makes a new key. */
function trainerFingerprint(): string {
  if (fingerprint === undefined) {
    const here = fileURLToPath(import.meta.url);
    const extension = path.extname(here);
    const hash = createHash('sha256');
    hash.update(createRequire(import.meta.url)('@nlpjs/nlp/package.json').version);
    for (const name of TRAINER_MODULES) hash.update(readFileSync(path.join(path.dirname(here), `${name}${extension}`)));
    fingerprint = hash.digest('hex');
  }
  return fingerprint;
}

/** The cache key of a model trained on `set` (any JSON: the language and its labelled sentences). */
export function modelKey(set: unknown): string {
  return createHash('sha256').update(trainerFingerprint()).update(JSON.stringify(set)).digest('hex').slice(0, 32);
}
