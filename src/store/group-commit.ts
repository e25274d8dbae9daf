import { open, type FileHandle } from 'node:fs/promises';
import { CompiledQuery, SqliteAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;
interface Waiting {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** The statements every group runs, made once (a `sql` template is built and compiled per call). */
const SAVEPOINT = CompiledQuery.raw('savepoint group_unit');
const RELEASE = CompiledQuery.raw('release savepoint group_unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint group_unit');
const SYNC_NORMAL = CompiledQuery.raw('pragma synchronous = NORMAL');

/** Most units of work in one transaction: bounds how long one commit holds the connection. */
const MAX_GROUP = 64;

/**
 * Group commit: units of work that arrive while a commit is under way are committed together
 * in the next transaction, so concurrent webhook requests share one durable commit (one
 * fsync on SQLite) instead of queueing for one each. A unit waits at most for the current
 * event-loop turn to end, never for a timer.
 * Each unit runs inside its own savepoint: one that fails is rolled back alone and rejected,
 * the others commit. Every caller's promise settles only after the commit that holds its rows
 * (or rejects if that commit failed), so "resolved" still means "durable".
 *
 * On SQLite (WAL, synchronous FULL) the commit's fsync is taken off the event loop: better-
 * sqlite3 would run it on the main thread, where on a busy disk one fsync held every request
 * (clicks included) for up to a quarter of a second (bench profile). The group's transaction
 * commits with synchronous NORMAL (its frames are written to the WAL, not yet synced), the
 * connection goes back to FULL for every other writer, and the WAL file is fsynced on libuv's
 * thread pool; the callers' promises resolve only when that fsync has finished, so a resolved
 * unit is on disk exactly as a FULL commit would have left it. NORMAL still syncs the WAL
 * before any checkpoint copies it into the database, so nothing ever reaches the database
 * file ahead of its WAL frames.
 */
export class GroupCommit {
  private readonly queue: Waiting[] = [];
  private flushing = false;
  private scheduled = false;
  /** Transactions committed and units of work in them (for /metrics and tests). */
  readonly stats = { commits: 0, units: 0, walSyncs: 0 };
  /** The WAL file to fsync after a commit, or null when the commit syncs itself (PostgreSQL, :memory:, not FULL). */
  private wal: Promise<{ file: string; restoreQuery: CompiledQuery } | null> | null = null;
  private syncing: Promise<void> | null = null;
  private nextSync: Promise<void> | null = null;
  private handle: Promise<FileHandle> | null = null;
  /** The sync of the last group committed (settles, never rejects). */
  private lastDurable: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<Database>) {}

  /** Whether this database commits with an fsync we can move off the event loop (read once). */
  private walToSync(): Promise<{ file: string; restoreQuery: CompiledQuery } | null> {
    this.wal ??= (async () => {
      if (!(this.db.getExecutor().adapter instanceof SqliteAdapter)) return null;
      const mode = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(this.db)).rows[0]?.journal_mode;
      const sync = Number((await sql<{ synchronous: number }>`pragma synchronous`.execute(this.db)).rows[0]?.synchronous);
      const main = (await sql<{ name: string; file: string }>`pragma database_list`.execute(this.db)).rows.find((r) => r.name === 'main');
      // Only WAL with FULL or EXTRA: NORMAL or OFF were chosen without a sync per commit.
      if (mode?.toLowerCase() !== 'wal' || !(sync >= 2) || !main?.file) return null;
      return { file: `${main.file}-wal`, restoreQuery: CompiledQuery.raw(`pragma synchronous = ${sync}`) };
    })();
    return this.wal;
  }

  /**
   * An fsync of the WAL that starts after the caller's commit. One already running may have
   * started before it, so the caller then shares the next one, which starts when that ends.
   * fdatasync, as SQLite itself syncs its WAL: the frames and the file's size, not its times.
   * The file is opened once and kept open until `close` (opening and closing it around each
   * sync cost the event loop about 0.1 ms per commit in the bench's profile). The WAL is the
   * same file for as long as the database is open: SQLite's checkpoints rewind it in place,
   * and only deletes it when its last connection closes, after `close`.
   */
  private syncWal(file: string): Promise<void> {
    if (!this.syncing) {
      this.syncing = (async () => {
        this.handle ??= open(file, 'r');
        try {
          await (await this.handle).datasync();
        } catch (err) {
          // Opened anew by the next sync: a failed open or a broken handle is not kept.
          const handle = this.handle;
          this.handle = null;
          void handle?.then((h) => h.close()).catch(() => undefined);
          throw err;
        }
        this.stats.walSyncs += 1;
      })().finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = null;
        return this.syncWal(file);
      });
    return this.nextSync;
  }

  /**
   * Runs the group's transaction; `durable` settles when its commit is on disk (on SQLite,
   * after syncWal, off the event loop). The next group may commit meanwhile.
   */
  private async transaction<T>(work: Work<T>): Promise<{ value: T; durable: Promise<void> }> {
    const wal = await this.walToSync();
    if (!wal) return { value: await this.db.transaction().execute(work), durable: Promise.resolve() };
    // One connection for the pragma, the transaction and the pragma back: no other writer
    // can commit in between while synchronous is NORMAL.
    const value = await this.db.connection().execute(async (conn) => {
      await conn.executeQuery(SYNC_NORMAL);
      try {
        return await conn.transaction().execute(work);
      } finally {
        await conn.executeQuery(wal.restoreQuery);
      }
    });
    const durable = this.syncWal(wal.file);
    this.lastDurable = durable.catch(() => undefined);
    return { value, durable };
  }

  /**
   * Settles once every group committed so far is on disk. A group's rows are visible to other
   * queries as soon as it commits, before its WAL sync: the outbox waits for this before it
   * claims, so no card reaches Slack for a mention that is not yet durable (nor before its 202).
   * A later sync covers every earlier commit, so the last one is enough.
   */
  durableSoFar(): Promise<void> {
    return this.lastDurable;
  }

  /** Closes the WAL file kept open for syncing, after the last sync (before the database closes). */
  async close(): Promise<void> {
    await this.nextSync?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
    const handle = this.handle;
    this.handle = null;
    await handle?.then((h) => h.close()).catch(() => undefined);
  }

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (this.flushing || this.scheduled) return;
      // better-sqlite3 runs a whole transaction without yielding to the event loop, so the
      // requests that arrived in this turn can only join if the commit starts in the next one.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.flush();
      });
    });
  }

  private count(units: number): void {
    this.stats.commits += 1;
    this.stats.units += units;
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_GROUP));
    } finally {
      this.flushing = false;
    }
  }

  private async commit(group: Waiting[]): Promise<void> {
    if (group.length === 1) {
      const [one] = group as [Waiting];
      await this.transaction(one.work).then(
        ({ value, durable }) =>
          durable.then(() => {
            this.count(1);
            one.resolve(value);
          }, one.reject),
        one.reject,
      );
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    let durable: Promise<void>;
    try {
      ({ durable } = await this.transaction(async (trx) => {
        for (const unit of group) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await unit.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (err) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, err });
          }
        }
      }));
    } catch (err) {
      // The commit itself failed: nothing of this group is stored.
      for (const unit of group) unit.reject(err);
      return;
    }
    // Awaited: what arrives during the fsync forms the next group, one commit for all of it
    // (committing each arrival while the fsync ran made more, smaller commits: 11% less
    // throughput in the same run, for no earlier answer, as each must wait for its own fsync).
    await durable.then(
      () => {
        this.count(group.length);
        group.forEach((unit, i) => {
          const o = outcomes[i]!;
          if (o.ok) unit.resolve(o.value);
          else unit.reject(o.err);
        });
      },
      // Committed but not known to be on disk: the callers must not say "stored" (a retry finds a duplicate).
      (err) => {
        for (const unit of group) unit.reject(err);
      },
    );
  }
}
