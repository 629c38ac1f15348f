// The admin account that ADMIN_USERNAME / ADMIN_PASSWORD ask for, applied at every start. Setting
// them is an explicit request for that account, so it is created whenever it is missing, even if
// other admins exist. An existing account is never changed: its password may have been changed on
// purpose since, and overwriting it silently at each start would undo that; a differing
// ADMIN_PASSWORD is reported instead. The password itself is never logged.
import type { Logger } from '../config/logger.js';
import { AccountExistsError, type AdminAccounts } from './accounts.js';

export type EnvironmentAdminOutcome = 'created' | 'unchanged' | 'password_not_applied';

export async function applyEnvironmentAdmin(
  accounts: AdminAccounts,
  credentials: { username: string; password: string },
  log: Logger,
): Promise<EnvironmentAdminOutcome> {
  const { username, password } = credentials;
  const outcome = await ensure(accounts, username, password);
  if (outcome === 'created') log.info({ username }, 'created the admin account named by ADMIN_USERNAME');
  else if (outcome === 'unchanged')
    log.info({ username }, 'the admin account named by ADMIN_USERNAME exists; left as it is');
  else
    log.warn(
      { username },
      'ADMIN_PASSWORD is not applied: the admin account named by ADMIN_USERNAME exists with another password, which stays in force',
    );
  return outcome;
}

async function ensure(accounts: AdminAccounts, username: string, password: string): Promise<EnvironmentAdminOutcome> {
  if (!(await accounts.exists(username))) {
    try {
      await accounts.create(username, password);
      return 'created';
    } catch (error) {
      // Another instance starting at the same moment may have created it first.
      if (!(error instanceof AccountExistsError) && !(await accounts.exists(username))) throw error;
    }
  }
  return (await accounts.passwordMatches(username, password)) ? 'unchanged' : 'password_not_applied';
}
