// The backup an update takes first and a rollback restores: a full backup of the database and
// DATA_DIR (src/ops/backup), kept among the others in DATA_DIR/backups and pruned like them.
import { openConfiguredDatabase } from '../../db/database.js';
import type { BackupOptions } from '../backup/backup-options.js';
import { createBackup } from '../backup/create-backup.js';
import { restoreBackup } from '../backup/restore-backup.js';
import type { UpdateBackup } from './types.js';

export function updateBackup(config: BackupOptions['config'], passphrase?: string): UpdateBackup {
  return {
    async create() {
      const database = await openConfiguredDatabase(config);
      try {
        const { id } = await createBackup({ config, database, passphrase });
        return { id };
      } finally {
        await database.close();
      }
    },
    async restore(id) {
      await restoreBackup(id, { config, passphrase });
    },
  };
}
