// Entitlements: what a user may use because they paid (or an admin said so), with an end or for
// ever. A payment's grant starts when the user's current grant of that key ends, so two payments
// give twice the time; a full refund revokes what its payment granted.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { EntitlementInfo } from '../core/events.js';
import type { Database, EntitlementsTable } from '../db/schema.js';

export const DAY_MS = 86_400_000;

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<EntitlementsTable>;

/** What an entitlement change tells listeners (the entitlementChanged event). */
export interface EntitlementChange {
  userId: number;
  key: string;
  active: boolean;
  until: number | null;
}

/** Rows not revoked and not over at `now`, oldest start first. */
function liveRows(db: Db, userId: number, now: number, key?: string) {
  let query = db
    .selectFrom('entitlements')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]));
  if (key !== undefined) query = query.where('key', '=', key);
  return query.orderBy('starts_at').orderBy('id').execute();
}

/** One entry per key: from the grant in force now to the end of the last grant chained to it. */
function summarise(rows: readonly Row[], now: number): EntitlementInfo[] {
  const byKey = new Map<string, EntitlementInfo>();
  for (const row of rows) {
    const starts = Number(row.starts_at);
    const ends = row.ends_at === null ? null : Number(row.ends_at);
    const current = byKey.get(row.key);
    if (!current) {
      if (starts <= now)
        byKey.set(row.key, { key: row.key, since: starts, until: ends, paymentId: toId(row.payment_id) });
      continue;
    }
    // A grant that starts where the current one ends (or earlier) extends it.
    if (current.until !== null && starts <= current.until) {
      current.until = ends === null ? null : Math.max(current.until, ends);
      current.paymentId = toId(row.payment_id);
    }
  }
  return [...byKey.values()];
}

const toId = (value: number | null): number | null => (value === null ? null : Number(value));

export async function activeEntitlements(db: Db, userId: number, now = Date.now()): Promise<EntitlementInfo[]> {
  return summarise(await liveRows(db, userId, now), now);
}

export async function hasEntitlement(db: Db, userId: number, key: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .selectFrom('entitlements')
    .select('id')
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .where('revoked_at', 'is', null)
    .where('starts_at', '<=', now)
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Grants `key` for `days` (none: for ever), starting when the user's current grant of it ends.
 * Returns the change to announce.
 */
export async function grantEntitlement(
  trx: Db,
  grant: { userId: number; key: string; days?: number; paymentId: number | null; grantedBy: string },
  now: number,
): Promise<EntitlementChange> {
  const live = summarise(await liveRows(trx, grant.userId, now, grant.key), now)[0];
  const starts = live ? (live.until ?? now) : now;
  const ends = grant.days === undefined || (live && live.until === null) ? null : starts + grant.days * DAY_MS;
  await trx
    .insertInto('entitlements')
    .values({
      user_id: grant.userId,
      key: grant.key,
      payment_id: grant.paymentId,
      starts_at: starts,
      ends_at: ends,
      revoked_at: null,
      granted_by: grant.grantedBy,
      created_at: now,
    })
    .execute();
  return { userId: grant.userId, key: grant.key, active: true, until: ends };
}

/** Ends what matches: a payment's grants, or every grant of a key a user holds. */
export async function revokeEntitlements(
  trx: Db,
  which: { paymentId: number } | { userId: number; key: string },
  now: number,
): Promise<EntitlementChange[]> {
  let query = trx.selectFrom('entitlements').selectAll().where('revoked_at', 'is', null);
  query =
    'paymentId' in which
      ? query.where('payment_id', '=', which.paymentId)
      : query.where('user_id', '=', which.userId).where('key', '=', which.key);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  await trx
    .updateTable('entitlements')
    .set({ revoked_at: now })
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  return changesAfter(trx, rows, now);
}

/** Ends the grants of a subscription's payments at `endsAt` (when they would end later). */
export async function endSubscriptionEntitlements(
  trx: Db,
  subscriptionId: string,
  endsAt: number,
  now: number,
): Promise<EntitlementChange[]> {
  const rows = await trx
    .selectFrom('entitlements')
    .innerJoin('payments', 'payments.id', 'entitlements.payment_id')
    .selectAll('entitlements')
    .where('payments.subscription_id', '=', subscriptionId)
    .where('entitlements.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('entitlements.ends_at', 'is', null), eb('entitlements.ends_at', '>', endsAt)]))
    .execute();
  if (rows.length === 0) return [];
  for (const row of rows) {
    // A grant that had not begun by the end is void; one in force ends then.
    const patch = Number(row.starts_at) >= endsAt ? { revoked_at: now } : { ends_at: endsAt };
    await trx.updateTable('entitlements').set(patch).where('id', '=', row.id).execute();
  }
  return changesAfter(trx, rows, now);
}

/** The state of each (user, key) the rows touched, after the change. */
async function changesAfter(trx: Db, rows: readonly Row[], now: number): Promise<EntitlementChange[]> {
  const touched = new Map<string, { userId: number; key: string }>();
  for (const row of rows) touched.set(`${row.user_id}:${row.key}`, { userId: Number(row.user_id), key: row.key });
  const changes: EntitlementChange[] = [];
  for (const { userId, key } of touched.values()) {
    const live = summarise(await liveRows(trx, userId, now, key), now)[0];
    changes.push({ userId, key, active: live !== undefined, until: live?.until ?? null });
  }
  return changes;
}
