// `omnicore start`: runs the platform until SIGTERM or SIGINT, then stops intake, lets running
// handlers finish (bounded), and closes the database. A second signal exits at once.
import { loadConfig } from '../config/env.js';
import { startPlatform } from '../main.js';

export async function runStart(): Promise<undefined> {
  const config = loadConfig();
  const platform = await startPlatform(config);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    platform.app.log.info({ signal }, 'shutting down');
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`omnicore: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return undefined;
}
