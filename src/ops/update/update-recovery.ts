// What the next start (`omnicore run`) or `update` command does about an update whose updater died:
// one that got to "finished" is recorded as succeeded (forward), anything earlier is rolled back,
// so the install is never left half-updated. A row left running with no state file (the updater
// died before its first step) changed nothing, and is marked failed.
import type { UpdateEnvironment } from './types.js';
import type { UpdateHistory, UpdateRecord } from './update-history.js';
import { UpdateLog } from './update-log.js';
import { rollBack } from './update-rollback.js';
import { clearState, readState } from './update-state.js';

export async function recoverUnfinishedUpdate(
  env: UpdateEnvironment,
  history: UpdateHistory,
): Promise<UpdateRecord | undefined> {
  const state = readState(env.dataDir);
  if (!state) {
    for (const orphan of await history.running()) {
      await history.save({
        ...orphan,
        status: 'failed',
        finishedAt: Date.now(),
        result: 'interrupted before it changed anything',
      });
    }
    return undefined;
  }
  const record: UpdateRecord = (await history.find(state.historyId)) ?? {
    id: state.historyId,
    fromVersion: state.fromVersion,
    toVersion: state.toVersion,
    fromCommit: state.fromCommit,
    toCommit: state.toCommit,
    status: 'running',
    startedAt: state.startedAt,
    finishedAt: null,
    result: null,
    backupId: state.backupId,
    log: '',
  };
  const log = new UpdateLog(record.log);
  if (state.step === 'finished') {
    log.append('the updater stopped after the update had finished: recorded as succeeded');
    const done: UpdateRecord = {
      ...record,
      status: 'succeeded',
      result: `updated to ${record.toVersion}`,
      finishedAt: record.finishedAt ?? Date.now(),
      log: log.toString(),
    };
    await history.save(done);
    clearState(env.dataDir);
    return done;
  }
  return rollBack(
    env,
    history,
    { ...record, backupId: state.backupId },
    state.step,
    `interrupted during ${state.step}`,
    log,
  );
}
