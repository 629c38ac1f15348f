// Stores dynamic settings in a test database before a server process starts on it, as an operator
// would have set them earlier (the server reads them at start).
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import type { TestDatabase } from './databases.js';

export async function presetSettings(database: TestDatabase, values: Record<string, unknown>): Promise<void> {
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
  try {
    await migrateToLatest(handle);
    const settings = new SettingsStore(handle.db);
    for (const [key, value] of Object.entries(values)) await settings.set(key, value);
  } finally {
    await handle.close();
  }
}
