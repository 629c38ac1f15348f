// What every backup operation is given: where the data lives, the passphrase when there is one,
// and whom to tell as each part is done (the CLI prints a line per part on a terminal).
import type { Config } from '../../config/env.js';

export interface BackupOptions {
  config: Pick<Config, 'DATA_DIR' | 'PLUGINS_DIR' | 'DATABASE_URL' | 'SQLITE_SYNCHRONOUS'>;
  /** Encrypts a new backup's parts; opens an encrypted backup. */
  passphrase?: string | undefined;
  onProgress?: (step: string) => void;
}
