// A plugin's secrets (ctx.secrets) in the platform's database, sealed by cipher.ts before they are
// written. Every value set or read is added to the process's redaction list, so that a plugin
// logging one by mistake writes `[redacted]` instead.
import type { Kysely } from 'kysely';
import { type RedactionList, runtimeSecrets } from '../../config/redaction.js';
import type { Database } from '../../db/schema.js';
import { OmniError } from '../../errors.js';
import type { PluginSecrets, SecretInfo } from '../api-jobs.js';
import type { SecretCipher } from './cipher.js';

const NAME = /^[a-z0-9._:-]{1,100}$/;
export const MAX_SECRET_BYTES = 8 * 1024;
/** Below this length the hint would give away too much of the value. */
const HINTED_LENGTH = 12;
const HIDDEN_HINT = '••••';

export function pluginSecrets(
  db: Kysely<Database>,
  cipher: SecretCipher,
  plugin: string,
  redaction: RedactionList = runtimeSecrets,
): PluginSecrets {
  const scoped = () => db.selectFrom('plugin_secrets').where('plugin', '=', plugin);
  const checkedName = (operation: string, name: unknown): string => {
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new OmniError(
        'SECRET_INVALID',
        `secrets.${operation}: a name is 1–100 of a-z, 0-9, '-', '_', '.', ':' (got ${JSON.stringify(String(name).slice(0, 120))})`,
      );
    }
    return name;
  };

  return {
    async set(name, value) {
      checkedName('set', name);
      if (typeof value !== 'string' || value.length === 0) {
        throw new OmniError('SECRET_INVALID', `secrets.set(${name}): the value must be a non-empty string`);
      }
      const size = Buffer.byteLength(value);
      if (size > MAX_SECRET_BYTES) {
        throw new OmniError('SECRET_INVALID', `secrets.set(${name}): ${size} bytes; the limit is ${MAX_SECRET_BYTES}`);
      }
      redaction.add(value);
      const sealed = cipher.seal(plugin, name, value);
      const updatedAt = Date.now();
      await db
        .insertInto('plugin_secrets')
        .values({ plugin, name, sealed, updated_at: updatedAt })
        .onConflict((oc) => oc.columns(['plugin', 'name']).doUpdateSet({ sealed, updated_at: updatedAt }))
        .execute();
    },
    async get(name) {
      checkedName('get', name);
      const row = await scoped().select('sealed').where('name', '=', name).executeTakeFirst();
      if (!row) return undefined;
      const value = cipher.open(plugin, name, row.sealed);
      redaction.add(value);
      return value;
    },
    async delete(name) {
      checkedName('delete', name);
      const result = await db
        .deleteFrom('plugin_secrets')
        .where('plugin', '=', plugin)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await scoped().select(['name', 'sealed', 'updated_at']).orderBy('name').execute();
      return rows.map(
        (row): SecretInfo => ({
          name: row.name,
          hint: hintOf(() => cipher.open(plugin, row.name, row.sealed)),
          updatedAt: Number(row.updated_at),
        }),
      );
    },
  };
}

/** One unreadable value does not hide the others: it is listed, hintless, and get() says why. */
function hintOf(open: () => string): string {
  let characters: string[];
  try {
    characters = Array.from(open());
  } catch (error) {
    if (error instanceof OmniError && error.code === 'SECRET_UNREADABLE') return HIDDEN_HINT;
    throw error;
  }
  return characters.length < HINTED_LENGTH ? HIDDEN_HINT : characters.slice(-4).join('');
}
