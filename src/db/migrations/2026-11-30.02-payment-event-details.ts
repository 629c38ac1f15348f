// What a provider event says of how the buyer paid (asset, network, amount, rate, transactions), as
// JSON beside the raw event, so that the panel shows it without knowing each provider's shapes.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payment_events').addColumn('details', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('payment_events').dropColumn('details').execute();
}
