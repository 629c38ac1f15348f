// Migrations on a PostgreSQL server where other programs create and drop schemas meanwhile (other
// apps, other test runs): Kysely lists every schema's tables to find its own migration table, and a
// schema dropped during that listing used to fail our start with "schema … does not exist".
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createTestDatabase, POSTGRES_URL } from '../support/databases.js';

describe('migrations beside schemas coming and going', () => {
  it('migrate fresh schemas while another connection drops schemas without pause', async () => {
    const churn = await openDatabase({ url: POSTGRES_URL, dataDir: '/tmp' });
    let stop = false;
    const churning = (async () => {
      for (let round = 0; !stop; round++) {
        const name = `churn_${process.pid}_${round}`;
        await sql.raw(`create schema "${name}"`).execute(churn.db);
        await sql.raw(`create table "${name}".t (id int, a text, b text, c text)`).execute(churn.db);
        await sql.raw(`drop schema "${name}" cascade`).execute(churn.db);
      }
    })();
    const outcomes: string[] = [];
    try {
      for (let index = 0; index < 8; index++) {
        const database = await createTestDatabase('postgres');
        const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
        outcomes.push(
          await migrateToLatest(handle).then(
            () => 'migrated',
            (error: Error) => error.message,
          ),
        );
        await handle.close();
        await database.dispose();
      }
    } finally {
      stop = true;
      await churning;
      await churn.close();
    }
    expect(outcomes).toEqual(Array(8).fill('migrated'));
  });
});
