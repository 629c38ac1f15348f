// The operator's additions to the corpus of one language: `DATA_DIR/corpus.<lang>.json`, an object
// from intent ("greeting", "command.pay"…) to the extra utterances to learn for it. Read at every
// training; a file that cannot be read or does not fit is logged and left out, never fatal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../config/logger.js';
import type { Language } from '../../config/settings-catalog.js';

const overrideSchema = z.record(z.string().min(1), z.array(z.string().trim().min(1)).min(1));

export type CorpusOverride = Readonly<Record<string, readonly string[]>>;

export function corpusOverrideFile(dataDir: string, language: Language): string {
  return path.join(dataDir, `corpus.${language}.json`);
}

/** The extra utterances by intent; empty when the file is absent or unusable (then a warning says why). */
export function readCorpusOverride(dataDir: string, language: Language, log: Logger): CorpusOverride {
  const file = corpusOverrideFile(dataDir, language);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn({ err: error, file }, 'could not read the corpus override; it is left out');
    }
    return {};
  }
  try {
    const parsed = overrideSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    log.warn({ file, issues: parsed.error.issues.slice(0, 3) }, 'the corpus override does not fit; it is left out');
  } catch (error) {
    log.warn({ err: error, file }, 'the corpus override is not JSON; it is left out');
  }
  return {};
}
