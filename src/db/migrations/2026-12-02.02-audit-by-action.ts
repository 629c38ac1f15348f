// The audit log by action and target: an experiment's decision log (its page re-reads it every few
// seconds) and each setting's last change (the Settings page) are looked up this way, and the log
// holds one `experiment.assign` row per user an experiment reaches, so scanning it would grow with them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_by_action').on('audit_log').columns(['action', 'target', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_log_by_action').execute();
}
