// `omnicore admin create <user>`: adds an admin panel account; the password is read from stdin
// (one line, so `echo "$PASSWORD" | omnicore admin create ops` works and it never shows in `ps`).
import { text } from 'node:stream/consumers';
import { AccountExistsError, AdminAccounts } from '../admin/accounts.js';
import { AuditLog } from '../admin/audit-log.js';
import { passwordSchema, usernameSchema } from '../config/admin-credentials.js';
import { loadConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

const USAGE = 'usage: omnicore admin create <user>   (password on stdin)';

export async function runAdmin(args: string[]): Promise<number> {
  const [action, username, ...extra] = args;
  if (action !== 'create' || !username || extra.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const name = usernameSchema.safeParse(username);
  if (!name.success) throw new Error(`admin name: ${name.error.issues[0]?.message}`);
  if (process.stdin.isTTY) process.stderr.write(`Password for ${username}: `);
  const password = passwordSchema.safeParse((await text(process.stdin)).split(/\r?\n/)[0] ?? '');
  if (!password.success) throw new Error(`password: ${password.error.issues[0]?.message}`);
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database);
    await new AdminAccounts(database.db).create(name.data, password.data);
    await new AuditLog(database.db).record({ actor: 'cli', action: 'admin.create', target: name.data });
    console.log(`admin "${name.data}" created`);
    return 0;
  } catch (error) {
    if (error instanceof AccountExistsError) throw new Error(error.message);
    throw error;
  } finally {
    await database.close();
  }
}
