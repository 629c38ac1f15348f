// `update apply`: one update from the current commit to a target, each step written to the state
// file before it runs and its output to the history row's log: backup, checkout (detached), npm ci,
// build, migrate, restart, health check. Any failure rolls back by itself (update-rollback.ts).
import { OmniError } from '../../errors.js';
import { GitCheckout } from './git-checkout.js';
import { commandsFor, runLogged } from './install-commands.js';
import { restartOrStart } from './new-server.js';
import { checkNewVersion } from './post-update-health.js';
import type { UpdateEnvironment } from './types.js';
import type { UpdateTarget } from './update-check.js';
import type { UpdateHistory, UpdateRecord } from './update-history.js';
import { UpdateLog } from './update-log.js';
import { rollBack } from './update-rollback.js';
import { clearState, readState, type UpdateStep, writeState } from './update-state.js';

export interface ApplyOptions {
  /** Resolves (and fetches) the target once the checkout is known to be clean. */
  target: (git: GitCheckout) => Promise<UpdateTarget>;
  /** A manual rollback past migrations: the backup to restore instead of keeping the newer data. */
  restoreBackup?: string | undefined;
}

/** The attempt's row, or undefined when the install already runs the target. */
export async function applyUpdate(
  env: UpdateEnvironment,
  history: UpdateHistory,
  options: ApplyOptions,
): Promise<UpdateRecord | undefined> {
  const git = new GitCheckout(env.installDir);
  await git.assertCheckout();
  if (readState(env.dataDir)) throw new OmniError('UPDATE_IN_PROGRESS');
  const changed = await git.localChanges();
  if (changed.length > 0) throw new OmniError('UPDATE_LOCAL_CHANGES', changed.slice(0, 5).join(', '));
  const fromCommit = await git.head();
  const target = await options.target(git);
  if (target.commit === fromCommit) return undefined;

  const log = new UpdateLog();
  const startedAt = Date.now();
  const draft = {
    fromVersion: await git.versionAt(fromCommit),
    toVersion: target.version,
    fromCommit,
    toCommit: target.commit,
    status: 'running' as const,
    startedAt,
    finishedAt: null,
    result: null,
    backupId: null,
    log: '',
  };
  // The row goes in before the backup, so that a restored backup still has it.
  let record: UpdateRecord = { ...draft, id: await history.start(draft) };
  let step: UpdateStep = 'backup';
  const enter = async (next: UpdateStep, line: string): Promise<void> => {
    step = next;
    writeState(env.dataDir, {
      historyId: record.id,
      fromCommit,
      toCommit: target.commit,
      fromVersion: record.fromVersion,
      toVersion: record.toVersion,
      backupId: record.backupId,
      startedAt,
      step,
    });
    log.append(`== ${line}`);
    env.progress?.(line);
    record = { ...record, log: log.toString() };
    await history.save(record);
  };

  try {
    await enter('backup', 'taking a backup');
    record = { ...record, backupId: (await env.backup.create()).id };
    await enter('checkout', `checking out ${target.ref} (${target.commit.slice(0, 12)}, ${target.version})`);
    log.append(await git.checkout(target.commit));
    const commands = commandsFor(env.installDir);
    for (const name of ['install', 'build', 'migrate'] as const) {
      await enter(name, `running ${name}`);
      if (name === 'migrate' && options.restoreBackup) await env.backup.restore(options.restoreBackup);
      const command = commands[name];
      if (command) await runLogged(command, { cwd: env.installDir, env: env.commandEnv, log });
    }
    await enter('restart', 'restarting onto the new version');
    const running = await restartOrStart(
      { url: env.serverUrl, dataDir: env.dataDir, installDir: env.installDir, env: env.commandEnv },
      log,
    );
    try {
      await enter('health', 'checking the new version');
      await checkNewVersion(
        {
          url: env.serverUrl,
          emulator: env.emulator,
          readyWithinMs: env.readyWithinMs ?? 60_000,
          settleMs: env.settleMs ?? 15_000,
        },
        (line) => log.append(line),
      );
    } finally {
      await running.stop();
    }
    await enter('finished', `updated to ${target.version}`);
    record = { ...record, status: 'succeeded', result: `updated to ${target.version}`, finishedAt: Date.now() };
    await history.save(record);
    clearState(env.dataDir);
    return record;
  } catch (error) {
    log.append(`failed during ${step}: ${(error as Error).message}`);
    return rollBack(env, history, record, step, `${step} failed: ${(error as Error).message}`, log);
  }
}
