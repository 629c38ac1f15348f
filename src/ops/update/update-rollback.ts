// Going back after a failed update: the previous commit checked out again, its node_modules and
// dist/ rebuilt by its own commands, the database restored from the backup when migrations ran (or
// may have), the server restarted onto it, the admins told, and the attempt marked rolled_back —
// or failed, with why, when the rollback itself could not finish.

import { GitCheckout } from './git-checkout.js';
import { commandsFor, runLogged } from './install-commands.js';
import { serverAnswers } from './new-server.js';
import { requestRestart } from './restart-request.js';
import type { UpdateEnvironment } from './types.js';
import type { UpdateHistory, UpdateRecord } from './update-history.js';
import type { UpdateLog } from './update-log.js';
import { clearState, migrationsMayHaveRun, type UpdateStep } from './update-state.js';

export async function rollBack(
  env: UpdateEnvironment,
  history: UpdateHistory,
  record: UpdateRecord,
  reached: UpdateStep,
  reason: string,
  log: UpdateLog,
): Promise<UpdateRecord> {
  log.append(`rolling back to ${record.fromCommit.slice(0, 12)}: ${reason}`);
  env.progress?.(`rolling back: ${reason}`);
  const wasServing = await serverAnswers(env.serverUrl);
  let outcome: Pick<UpdateRecord, 'status' | 'result'>;
  try {
    await new GitCheckout(env.installDir).checkout(record.fromCommit);
    const commands = commandsFor(env.installDir);
    for (const step of ['install', 'build'] as const) {
      const command = commands[step];
      if (command) await runLogged(command, { cwd: env.installDir, env: env.commandEnv, log });
    }
    if (migrationsMayHaveRun(reached) && record.backupId) {
      log.append(`restoring the database from backup ${record.backupId}`);
      await env.backup.restore(record.backupId);
    }
    if (wasServing && !(await requestRestart(env.dataDir, 60_000))) log.append('the server did not restart');
    outcome = { status: 'rolled_back', result: `rolled back: ${reason}` };
  } catch (error) {
    log.append(`the rollback failed: ${(error as Error).message}`);
    outcome = { status: 'failed', result: `rollback failed (${(error as Error).message}) after: ${reason}` };
  }
  const finished: UpdateRecord = { ...record, ...outcome, finishedAt: Date.now(), log: log.toString() };
  await history.save(finished);
  clearState(env.dataDir);
  await env
    .alert(`Update ${record.fromVersion} → ${record.toVersion} ${finished.result}`)
    .catch((error: unknown) => log.append(`the alert could not be sent: ${(error as Error).message}`));
  return finished;
}
