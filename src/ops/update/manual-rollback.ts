// `update rollback`: back to the version before the last update that succeeded onto the current
// commit, through the same steps (and the same automatic rollback) as any update. The database
// comes back from that update's backup, because the older code cannot read a schema the newer one
// migrated; whatever changed since that update is lost, which is why it is done by hand only.
import { OmniError } from '../../errors.js';
import { GitCheckout } from './git-checkout.js';
import type { UpdateEnvironment } from './types.js';
import { applyUpdate } from './update-apply.js';
import type { UpdateHistory, UpdateRecord } from './update-history.js';

export async function rollBackByHand(
  env: UpdateEnvironment,
  history: UpdateHistory,
): Promise<UpdateRecord | undefined> {
  const head = await new GitCheckout(env.installDir).head();
  const last = (await history.list()).find((row) => row.status === 'succeeded' && row.toCommit === head);
  if (!last) throw new OmniError('UPDATE_NO_PREVIOUS');
  const record = await applyUpdate(env, history, {
    target: async (git) => ({
      commit: last.fromCommit,
      version: await git.versionAt(last.fromCommit),
      ref: 'rollback',
    }),
    restoreBackup: last.backupId ?? undefined,
  });
  // The restored backup holds that update's row as it was when the backup was taken: running.
  await history.save(last);
  return record;
}
