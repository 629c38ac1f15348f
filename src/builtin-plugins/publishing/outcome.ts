// A service's failure, turned into what the job queue does with it: a refused token fails the post
// for good, marks the account broken and alerts the admins (once per incident, however many posts
// were waiting); a refused post fails for good with the service's reason; a rate limit or a 503
// waits as long as the service asked; anything else is retried with the queue's backoff.
import { JobFailure, type PluginContext, RetryLater } from '../../plugins/api.js';
import type { Account, Accounts } from './accounts.js';
import type { PublishingConfig } from './config.js';
import { PublishFailure } from './failure.js';

type Ctx = PluginContext<PublishingConfig, string>;

/** The account a job posts through, or a failure for good when it is gone or its token was refused. */
export async function usableAccount(accounts: Accounts, id: string): Promise<Account> {
  const account = await accounts.get(id);
  if (!account) throw new JobFailure(`there is no account ${id} any more`);
  if (account.broken) {
    throw new JobFailure(
      `${account.label}: the service refused its token (${account.broken.message}); replace the token in the panel, then retry`,
    );
  }
  return account;
}

export async function withService<T>(
  ctx: Ctx,
  accounts: Accounts,
  account: Account,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof PublishFailure)) throw error;
    const { retryAfterMs } = error.options;
    switch (error.kind) {
      case 'auth':
        await accounts.markBroken(account.id, error.message);
        await ctx.alert(
          `account:${account.id}`,
          `Publishing: ${account.service} refused the token of ${account.label} (${error.message}). Posts through it fail until the token is replaced in the panel.`,
        );
        throw new JobFailure(`${account.label}: ${error.message}`);
      case 'refused':
        throw new JobFailure(error.message);
      case 'rate-limited':
        throw new RetryLater(retryAfterMs ?? 60_000, `rate limited: ${error.message}`);
      default:
        if (retryAfterMs !== undefined) throw new RetryLater(retryAfterMs, error.message);
        throw error;
    }
  }
}
