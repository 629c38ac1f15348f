// Which instance handles a chat when several share one PostgreSQL (webhooks behind a load balancer):
// the one holding the chat's lease in `chat_leases`. The instance that stores an update claims the
// chat if it is free or lapsed and then queues the chat's pending rows in update_id order; if another
// instance holds it, that one hears of it (LISTEN/NOTIFY) and fetches them. A sweep catches what a
// notification misses and takes over chats whose holder died (its lease lapsed). A lease is held while
// the chat has work and a short linger after, renewed in one statement for all, and released when
// the chat is idle. Starts are fenced by the lease in inbox.ts, so a chat never runs in two places.
import { type Kysely, sql } from 'kysely';
import type { Logger } from '../config/logger.js';
import type { Listen } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { Batcher } from '../lib/batcher.js';
import { type Repetition, repeat } from '../lib/repeat.js';
import type { Dispatcher } from './dispatcher.js';
import { DATABASE_NOW, type InboxEntry } from './inbox.js';

export const INBOX_CHANNEL = 'omnicore_inbox';
/** How often the sweep looks for work no notification announced, and releases idle chats. */
const SWEEP_MS = 500;
/** How long an idle chat's lease is kept: the next update of a conversation usually comes soon. */
const LINGER_MS = 1000;
/** A row younger than this is left to its notification; the sweep is for what that misses. */
const NOTIFIED_WITHIN_MS = 1000;
const LISTEN_RETRY_MS = 1000;
/** PostgreSQL keeps this much of an application_name (NAMEDATALEN - 1). */
const APPLICATION_NAME_LENGTH = 63;

export interface ChatLeasesOptions {
  db: Kysely<Database>;
  /** This instance's id (src/db/instance-id.ts). */
  owner: string;
  /** Connections apart from the busy pool, so that renewing never waits behind handlers' queries. */
  upkeep: Kysely<Database>;
  leaseMs: () => number;
  dispatcher: Pick<Dispatcher, 'enqueue' | 'hasChat' | 'isRunning' | 'holds'>;
  /** Queues a pending row this instance now handles, or gives up on it (see update-processing.ts). */
  takeOver: (entry: InboxEntry) => void;
  /** Rows whose "dropped" mark is still being written: pending in the table, yet not to be run. */
  settling: (updateId: number) => boolean;
  listen: Listen;
  log: Logger;
}

interface Lease {
  /** Local clock: past it, the lease may have been taken over and this instance claims it again. */
  until: number;
  /** Since when the chat has had nothing queued here. */
  idleSince: number | undefined;
}

interface PendingRow {
  update_id: number;
  chat_key: string;
  payload: string;
  attempts: number;
}

export class ChatLeases {
  private readonly held = new Map<string, Lease>();
  /** Per chat, the lease operation under way: the next one for that chat waits for it. */
  private readonly operations = new Map<string, Promise<void>>();
  private readonly claims = new Batcher((keys: string[]) => this.claimBatch(keys));
  private readonly fetches = new Batcher((keys: string[]) => this.fetchBatch(keys));
  private readonly repetitions: Repetition[] = [];
  private unlisten: (() => Promise<void>) | undefined;
  private listenRetry: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ChatLeasesOptions) {}

  /**
   * Where intake hands an admitted update: queued at once in a chat held here, else claimed; resolves
   * once it is queued here or known to be another instance's.
   */
  enqueue(entry: InboxEntry): Promise<void> | undefined {
    if (this.stopped) return;
    const lease = this.operations.has(entry.chatKey) ? undefined : this.live(entry.chatKey);
    if (lease) {
      lease.idleSince = undefined;
      this.options.dispatcher.enqueue(entry);
      return;
    }
    return this.claim(entry.chatKey, entry);
  }

  /** A start was refused (inbox.ts): an earlier update of the chat is pending that this instance missed. */
  refused(entry: InboxEntry): void {
    if (!this.stopped && this.live(entry.chatKey)) this.refetch(entry.chatKey);
  }

  /**
   * Resolves once no claim or fetch is under way, with whether there was one: an update being claimed
   * is in neither the dispatcher nor a handler yet, and the platform is not idle while it is.
   */
  async settled(): Promise<boolean> {
    let waited = false;
    while (this.operations.size > 0) {
      waited = true;
      await Promise.all(this.operations.values());
    }
    return waited;
  }

  /** The first sweep (what resuming is with several instances), then the loops and the listener. */
  async start(): Promise<void> {
    // Listening first: it is how other instances starting now see this one alive.
    await this.listen();
    await this.forgetTheDead();
    await this.sweep();
    const onError = (error: unknown) => this.options.log.warn({ err: error }, 'chat lease upkeep failed');
    this.repetitions.push(
      repeat(() => this.sweep(), { every: SWEEP_MS, firstAfterMs: SWEEP_MS, onError }),
      repeat(() => this.renew(), {
        every: () => this.options.leaseMs() / 3,
        firstAfterMs: this.options.leaseMs() / 3,
        onError,
      }),
    );
  }

  /**
   * After the dispatcher stopped: lets go of every chat not running a handler, so other instances
   * take them over at their next sweep; a chat still running keeps its lease until it lapses.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.listenRetry);
    await Promise.all(this.repetitions.map((repetition) => repetition.stop()));
    await this.unlisten?.().catch(() => {});
    await Promise.all(this.operations.values());
    const running = [...this.held.keys()].filter((key) => this.options.dispatcher.isRunning(key));
    await this.options.upkeep
      .deleteFrom('chat_leases')
      .where('owner', '=', this.options.owner)
      .where(sql<boolean>`not (chat_key = any(${running}::text[]))`)
      .execute();
    this.held.clear();
  }

  /**
   * Leases of instances whose listening connection is gone from the server (a process killed, then
   * restarted): freed at once rather than after they lapse. PostgreSQL drops a killed process's
   * connections at once; a lost machine's only when TCP gives up, and by then its leases lapsed.
   */
  private async forgetTheDead(): Promise<void> {
    const { rows } = await sql<{ owner: string }>`
      delete from chat_leases where owner <> ${this.options.owner}
        and left(owner, ${APPLICATION_NAME_LENGTH}) not in (
          select application_name from pg_stat_activity where application_name is not null)
      returning owner`.execute(this.options.upkeep);
    const owners = [...new Set(rows.map((row) => row.owner))];
    if (owners.length > 0) this.options.log.info({ instances: owners }, 'took over the chats of stopped instances');
  }

  private live(chatKey: string): Lease | undefined {
    const lease = this.held.get(chatKey);
    return lease && lease.until > Date.now() ? lease : undefined;
  }

  /** Runs `operation` for a chat once the chat's earlier one is done; resolves when it is, never rejects. */
  private serialise(chatKey: string, operation: () => Promise<void>): Promise<void> {
    const next = (this.operations.get(chatKey) ?? Promise.resolve())
      .then(operation)
      .catch((error: unknown) => this.options.log.warn({ err: error, chatKey }, 'chat lease operation failed'))
      .finally(() => {
        if (this.operations.get(chatKey) === next) this.operations.delete(chatKey);
      });
    this.operations.set(chatKey, next);
    return next;
  }

  private claim(chatKey: string, arrived?: InboxEntry): Promise<void> {
    return this.serialise(chatKey, async () => {
      if (this.stopped) return;
      const lease = this.live(chatKey);
      if (lease) {
        if (arrived) this.queue([], arrived);
        return;
      }
      const rows = await this.claims.add(chatKey);
      if (rows) this.queue(rows, arrived);
    });
  }

  private refetch(chatKey: string): void {
    this.serialise(chatKey, async () => {
      if (!this.live(chatKey)) return;
      const rows = await this.fetches.add(chatKey);
      if (this.live(chatKey)) this.queue(rows);
    });
  }

  /** Queues a chat's pending rows (and the update in hand) that are not queued here yet, in order. */
  private queue(rows: PendingRow[], arrived?: InboxEntry): void {
    const { dispatcher, takeOver, settling } = this.options;
    const entries = rows.map((row) =>
      arrived?.updateId === row.update_id
        ? arrived
        : {
            updateId: row.update_id,
            chatKey: row.chat_key,
            update: JSON.parse(row.payload),
            attempts: row.attempts,
            // Only an update started before can have journaled calls to replay.
            resumed: row.attempts > 0,
          },
    );
    if (arrived && !entries.includes(arrived)) entries.push(arrived);
    entries.sort((a, b) => a.updateId - b.updateId);
    for (const entry of entries) {
      if (settling(entry.updateId) || dispatcher.holds(entry.chatKey, entry.updateId)) continue;
      const lease = this.held.get(entry.chatKey);
      if (lease) lease.idleSince = undefined;
      if (entry === arrived) dispatcher.enqueue(entry);
      else takeOver(entry);
    }
  }

  /**
   * Claims the chats that are free or lapsed (or already this instance's) and reads their pending
   * rows, in one statement; the holders of the others are notified. Keys go in sorted, so two
   * instances claiming overlapping sets lock rows in the same order and cannot deadlock.
   */
  private async claimBatch(keys: string[]): Promise<(PendingRow[] | undefined)[]> {
    const unique = [...new Set(keys)].sort();
    const { owner } = this.options;
    const leaseMs = this.options.leaseMs();
    const sentAt = Date.now();
    const { rows } = await sql<PendingRow & { claimed: string }>`
      with claimed as (
        insert into chat_leases (chat_key, owner, until)
        select key, ${owner}, ${DATABASE_NOW} + ${leaseMs} from unnest(${unique}::text[]) as key
        on conflict (chat_key) do update set owner = excluded.owner, until = excluded.until
          where chat_leases.until < ${DATABASE_NOW} or chat_leases.owner = ${owner}
        returning chat_key
      )
      select c.chat_key as claimed, t.update_id, t.chat_key, t.payload, t.attempts
      from claimed c left join telegram_updates t on t.chat_key = c.chat_key and t.status = 'pending'
      order by t.update_id`.execute(this.options.db);
    const byChat = new Map<string, PendingRow[]>();
    for (const row of rows) {
      const chat = byChat.get(row.claimed) ?? [];
      if (row.update_id !== null) chat.push({ ...row, update_id: Number(row.update_id) });
      byChat.set(row.claimed, chat);
    }
    for (const key of byChat.keys()) this.held.set(key, { until: sentAt + leaseMs, idleSince: undefined });
    const others = unique.filter((key) => !byChat.has(key));
    if (others.length > 0) {
      await sql`select pg_notify(${INBOX_CHANNEL}, key) from unnest(${others}::text[]) as key`.execute(this.options.db);
    }
    return keys.map((key) => byChat.get(key));
  }

  private async fetchBatch(keys: string[]): Promise<PendingRow[][]> {
    const rows = await this.options.db
      .selectFrom('telegram_updates')
      .select(['update_id', 'chat_key', 'payload', 'attempts'])
      .where('status', '=', 'pending')
      .where(sql<boolean>`chat_key = any(${[...new Set(keys)]}::text[])`)
      .orderBy('update_id')
      .execute();
    return keys.map((key) =>
      rows.filter((row) => row.chat_key === key).map((row) => ({ ...row, update_id: Number(row.update_id) })),
    );
  }

  /** Extends every lease of this instance in one statement; a lease not found was lost (taken over). */
  private async renew(): Promise<void> {
    const leaseMs = this.options.leaseMs();
    const sentAt = Date.now();
    const rows = await this.options.upkeep
      .updateTable('chat_leases')
      .set({ until: sql<number>`${DATABASE_NOW} + ${leaseMs}` })
      .where('owner', '=', this.options.owner)
      .returning('chat_key')
      .execute();
    const renewed = new Set(rows.map((row) => row.chat_key));
    for (const key of this.held.keys()) if (!renewed.has(key)) this.held.delete(key);
    for (const key of renewed) {
      const lease = this.held.get(key);
      // A lease of ours the map forgot (a release that failed) is kept until the sweep finds it idle.
      if (lease) lease.until = sentAt + leaseMs;
      else this.held.set(key, { until: sentAt + leaseMs, idleSince: sentAt });
    }
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    await this.releaseIdle();
    const { db, owner, dispatcher } = this.options;
    // (a) Chats with work and no live lease: a dead holder, a release racing a claim, a failed claim.
    const orphans = await sql<{ chat_key: string }>`
      select distinct t.chat_key from telegram_updates t
      left join chat_leases l on l.chat_key = t.chat_key
      where t.status = 'pending' and (l.chat_key is null or l.until < ${DATABASE_NOW})
      limit 1000`.execute(db);
    for (const { chat_key } of orphans.rows) this.claim(chat_key);
    // (b) Rows of chats held here that are not queued here: a notification lost or not yet sent.
    const missed = await sql<{ update_id: number; chat_key: string }>`
      select t.update_id, t.chat_key from telegram_updates t
      join chat_leases l on l.chat_key = t.chat_key
      where l.owner = ${owner} and t.status = 'pending' and t.received_at < ${Date.now() - NOTIFIED_WITHIN_MS}`.execute(
      db,
    );
    const chats = new Set(
      missed.rows.filter((row) => !dispatcher.holds(row.chat_key, Number(row.update_id))).map((row) => row.chat_key),
    );
    for (const chatKey of chats) {
      if (this.live(chatKey)) this.refetch(chatKey);
      else this.claim(chatKey);
    }
  }

  /**
   * Lets go of chats idle for the linger, then looks again for pending rows in them: an instance whose
   * claim failed just before the release stored one, and nobody else will claim it until the sweep.
   */
  private async releaseIdle(): Promise<void> {
    const now = Date.now();
    const idle: string[] = [];
    for (const [key, lease] of this.held) {
      if (this.operations.has(key)) continue;
      if (this.options.dispatcher.hasChat(key)) lease.idleSince = undefined;
      else if (lease.idleSince === undefined) lease.idleSince = now;
      else if (now - lease.idleSince >= LINGER_MS) idle.push(key);
    }
    if (idle.length === 0) return;
    for (const key of idle) this.held.delete(key);
    const released = sql<{ chat_key: string }>`
      with released as (
        delete from chat_leases where owner = ${this.options.owner} and chat_key = any(${idle}::text[])
        returning chat_key
      )
      select distinct t.chat_key from telegram_updates t join released r on r.chat_key = t.chat_key
      where t.status = 'pending'`
      .execute(this.options.db)
      .then(({ rows }) => new Set(rows.map((row) => row.chat_key)));
    // Claims for these chats wait for the release, which decides whether to claim again.
    for (const key of idle) {
      this.serialise(key, async () => {
        if ((await released).has(key)) this.claim(key);
      });
    }
    await released.catch(() => {});
  }

  private async listen(): Promise<void> {
    const { listen, log } = this.options;
    const retry = (error: unknown): void => {
      log.warn({ err: error }, 'inbox notifications lost; listening again (the sweep covers meanwhile)');
      this.unlisten = undefined;
      clearTimeout(this.listenRetry);
      this.listenRetry = setTimeout(() => {
        if (!this.stopped) void this.listen();
      }, LISTEN_RETRY_MS);
      this.listenRetry.unref();
    };
    try {
      this.unlisten = await listen(
        INBOX_CHANNEL,
        (chatKey) => {
          // A claim under way may have read the chat before the notifier's row was there.
          if (!this.stopped && (this.held.has(chatKey) || this.operations.has(chatKey))) this.refetch(chatKey);
        },
        retry,
        this.options.owner,
      );
    } catch (error) {
      retry(error);
    }
  }
}
