// Admin panel accounts (`admin_users`): names and argon2id password hashes; nothing else about
// a person is stored. Verification takes the same time whether or not the name exists. The argon2
// native module is loaded at the first password handled, not by every server that starts.
import type { Kysely } from 'kysely';
import { passwordSchema, usernameSchema } from '../config/admin-credentials.js';
import type { Database } from '../db/schema.js';
import { OmniError } from '../errors.js';

export interface AdminAccount {
  id: number;
  username: string;
}

export interface AdminListing {
  username: string;
  createdAt: number;
  lastSignInAt: number | null;
}

/** Told apart by class: two instances creating the ADMIN_USERNAME account at once is no failure. */
export class AccountExistsError extends OmniError {
  override readonly name = 'AccountExistsError';
  constructor(readonly username: string) {
    super('ADMIN_EXISTS', `"${username}"`);
  }
}

async function hash(password: string): Promise<string> {
  return (await import('@node-rs/argon2')).hash(password);
}

async function verify(passwordHash: string, password: string): Promise<boolean> {
  return (await import('@node-rs/argon2')).verify(passwordHash, password);
}

export class AdminAccounts {
  /** Compared against when the name is unknown, so a miss costs as much as a hit. */
  private decoy: Promise<string> | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  async create(username: string, password: string, now = Date.now()): Promise<AdminAccount> {
    const name = usernameSchema.parse(username);
    const passwordHash = await hash(passwordSchema.parse(password));
    const existing = await this.db
      .selectFrom('admin_users')
      .select('id')
      .where('username', '=', name)
      .executeTakeFirst();
    if (existing) throw new AccountExistsError(name);
    const row = await this.db
      .insertInto('admin_users')
      .values({ username: name, password_hash: passwordHash, created_at: now, last_sign_in_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: Number(row.id), username: name };
  }

  async exists(username: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('admin_users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirst();
    return !!row;
  }

  /** Whether the account's stored password is this one; unlike verify(), no sign-in is recorded. */
  async passwordMatches(username: string, password: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('admin_users')
      .select('password_hash')
      .where('username', '=', username)
      .executeTakeFirst();
    return !!row && (await verify(row.password_hash, password));
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('admin_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async verify(username: string, password: string, now = Date.now()): Promise<AdminAccount | undefined> {
    const row = await this.db
      .selectFrom('admin_users')
      .select(['id', 'username', 'password_hash'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!row) {
      this.decoy ??= hash('not a password of anyone');
      await verify(await this.decoy, password);
      return undefined;
    }
    if (!(await verify(row.password_hash, password))) return undefined;
    await this.db.updateTable('admin_users').set({ last_sign_in_at: now }).where('id', '=', row.id).execute();
    return { id: Number(row.id), username: row.username };
  }

  async list(): Promise<AdminListing[]> {
    const rows = await this.db
      .selectFrom('admin_users')
      .select(['username', 'created_at', 'last_sign_in_at'])
      .orderBy('username')
      .execute();
    return rows.map((row) => ({
      username: row.username,
      createdAt: Number(row.created_at),
      lastSignInAt: row.last_sign_in_at === null ? null : Number(row.last_sign_in_at),
    }));
  }

  /** Sets a new password and ends the account's sessions, so that an old browser is signed out. */
  async changePassword(username: string, password: string): Promise<void> {
    const passwordHash = await hash(passwordSchema.parse(password));
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('admin_users')
        .set({ password_hash: passwordHash })
        .where('username', '=', username)
        .returning('id')
        .executeTakeFirst();
      if (!row) throw new OmniError('ADMIN_NOT_FOUND', `"${username}"`);
      await trx.deleteFrom('admin_sessions').where('user_id', '=', row.id).execute();
    });
  }

  /** Deletes an account and its sessions; the last one is refused, or nobody could sign in. */
  async delete(username: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('admin_users').select(['id', 'username']).execute();
      const target = rows.find((row) => row.username === username);
      if (!target) throw new OmniError('ADMIN_NOT_FOUND', `"${username}"`);
      if (rows.length === 1) throw new OmniError('ADMIN_LAST_ONE');
      await trx.deleteFrom('admin_sessions').where('user_id', '=', target.id).execute();
      await trx.deleteFrom('admin_users').where('id', '=', target.id).execute();
    });
  }

  async byId(id: number): Promise<AdminAccount | undefined> {
    const row = await this.db
      .selectFrom('admin_users')
      .select(['id', 'username'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { id: Number(row.id), username: row.username } : undefined;
  }
}
