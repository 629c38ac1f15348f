// The CLI works on the database its own DATA_DIR/DATABASE_URL name. When a server answers on PORT
// but works on another one, what the CLI changes never reaches it: say so, in one line on stderr.
import { z } from 'zod';
import type { Config } from '../config/env.js';
import { localServerUrl } from '../config/server-url.js';
import { type DatabaseHandle, openConfiguredDatabase } from '../db/database.js';
import { databaseIdentity } from '../db/identity.js';

const PROBE_MS = 1000;
const readyzBody = z.object({ database: z.string() });

/** The database a CLI verb works on, said on stderr when it is not the running server's. */
export async function openCliDatabase(config: Config): Promise<DatabaseHandle> {
  const database = await openConfiguredDatabase(config);
  await warnIfServerUsesAnotherDatabase(config, database);
  return database;
}

/** Whether a server answers on PORT working on `database` (its /readyz names the same identity). */
export async function serverWorksOn(config: Config, database: DatabaseHandle): Promise<boolean> {
  return (await runningServerDatabase(config)) === databaseIdentity(database.location);
}

/** The database identity of the server answering on PORT; undefined when none answers. */
async function runningServerDatabase(config: Config): Promise<string | undefined> {
  const response = await fetch(`${localServerUrl(config.HOST, config.PORT)}/readyz`, {
    signal: AbortSignal.timeout(PROBE_MS),
  }).catch(() => undefined);
  if (!response) return undefined;
  const body = readyzBody.safeParse(await response.json().catch(() => undefined));
  return body.success ? body.data.database : undefined;
}

async function warnIfServerUsesAnotherDatabase(config: Config, database: DatabaseHandle): Promise<void> {
  const running = await runningServerDatabase(config);
  if (running === undefined || running === databaseIdentity(database.location)) return;
  console.error(
    `omnicore: warning: the server on port ${config.PORT} works on another database than this command (${database.location}); check DATA_DIR/DATABASE_URL`,
  );
}
