// `omnicore admin create <user> | list [--json] | passwd <user> | delete <user>`: admin panel
// accounts, on the same database as the server. Passwords come from stdin (see password-input.ts);
// a new password ends that account's sessions; the last admin cannot be deleted. Every change is in
// the audit log with the actor "cli".
import { parseArgs } from 'node:util';
import { AdminAccounts, type AdminListing } from '../admin/accounts.js';
import { passwordSchema, usernameSchema } from '../config/admin-credentials.js';
import { loadConfig } from '../config/env.js';
import { AuditLog } from '../db/audit-log.js';
import { migrateToLatest } from '../db/migrate.js';
import { readNewPassword } from './password-input.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

const NAMED_ACTIONS = ['create', 'passwd', 'delete'];

export async function runAdmin(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, username, ...extra] = positionals;
  if (action !== 'list' && !NAMED_ACTIONS.includes(action ?? '')) {
    throw new UsageError(action ? `unknown action "${action}"` : 'no action');
  }
  if (action !== 'list' && !username) throw new UsageError(`admin ${action} needs a user name`);
  const unexpected = action === 'list' ? username : extra[0];
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  const name = action === 'list' ? undefined : parseName(username as string);
  // Asked before the database opens: an operator typing slowly holds no connection.
  const password = action === 'create' || action === 'passwd' ? await newPassword(name as string) : undefined;
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    await migrateToLatest(database);
    const accounts = new AdminAccounts(database.db);
    const audit = new AuditLog(database.db);
    switch (action) {
      case 'list': {
        const listing = await accounts.list();
        console.log(values.json ? JSON.stringify(listing.map(forScripts), null, 2) : table(listing));
        return 0;
      }
      case 'create':
        await accounts.create(name as string, password as string);
        console.log(`admin "${name}" created`);
        break;
      case 'passwd':
        await accounts.changePassword(name as string, password as string);
        console.log(`password of "${name}" changed; their sessions are ended`);
        break;
      default:
        await accounts.delete(name as string);
        console.log(`admin "${name}" deleted`);
    }
    await audit.record({ actor: 'cli', action: `admin.${action}`, target: name as string });
    return 0;
  } finally {
    await database.close();
  }
}

function parseName(username: string): string {
  const name = usernameSchema.safeParse(username);
  if (!name.success) throw new Error(`admin name: ${name.error.issues[0]?.message}`);
  return name.data;
}

async function newPassword(username: string): Promise<string> {
  const password = passwordSchema.safeParse(await readNewPassword(username));
  if (!password.success) throw new Error(`password: ${password.error.issues[0]?.message}`);
  return password.data;
}

function forScripts(entry: AdminListing) {
  return {
    username: entry.username,
    createdAt: new Date(entry.createdAt).toISOString(),
    lastSignInAt: entry.lastSignInAt === null ? null : new Date(entry.lastSignInAt).toISOString(),
  };
}

function table(listing: AdminListing[]): string {
  if (listing.length === 0) return 'no admins yet';
  return listing
    .map(forScripts)
    .map((entry) => `${entry.username}  created ${entry.createdAt}  last sign-in ${entry.lastSignInAt ?? 'never'}`)
    .join('\n');
}
