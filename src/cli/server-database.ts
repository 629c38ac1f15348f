// The CLI works on the database its own DATA_DIR/DATABASE_URL name. When a server answers on PORT
// but works on another one, what the CLI changes never reaches it: say so, in one line on stderr.
import { z } from 'zod';
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import { databaseIdentity } from '../db/identity.js';
import { localServerUrl } from '../main.js';

const PROBE_MS = 1000;
const readyzBody = z.object({ database: z.string() });

export async function warnIfServerUsesAnotherDatabase(config: Config, database: DatabaseHandle): Promise<void> {
  const response = await fetch(`${localServerUrl(config.HOST, config.PORT)}/readyz`, {
    signal: AbortSignal.timeout(PROBE_MS),
  }).catch(() => undefined);
  if (!response) return;
  const body = readyzBody.safeParse(await response.json().catch(() => undefined));
  if (!body.success || body.data.database === databaseIdentity(database.location)) return;
  console.error(
    `omnicore: warning: the server on port ${config.PORT} works on another database than this command (${database.location}); check DATA_DIR/DATABASE_URL`,
  );
}
