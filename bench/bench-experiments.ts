// The experiments the `omnicore-experiments` contestant runs during the load: the welcome and the
// conversation's confidence threshold, each on a quarter of the users, started with the CLI as an
// operator would. The stream's /start and plain text then expose users and record what they do.
import { execFileSync } from 'node:child_process';
import { OMNICORE_CLI } from './settings.js';

export const BENCH_EXPERIMENTS = [
  ['bot.welcome', 'guided', '--metric', 'command', '--share', '0.25'],
  ['conversation.confidenceThreshold', '0.4', '--metric', 'answered', '--share', '0.25'],
] as const;

export function startExperiments(dataDir: string, databaseUrl: string | undefined): void {
  for (const args of BENCH_EXPERIMENTS) {
    execFileSync(process.execPath, [OMNICORE_CLI, 'experiments', 'start', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      },
      stdio: 'ignore',
    });
  }
}
