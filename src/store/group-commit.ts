import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;
interface Waiting {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

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
 */
export class GroupCommit {
  private readonly queue: Waiting[] = [];
  private flushing = false;
  private scheduled = false;
  /** Transactions committed and units of work in them (for /metrics and tests). */
  readonly stats = { commits: 0, units: 0 };

  constructor(private readonly db: Kysely<Database>) {}

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
      await this.db
        .transaction()
        .execute(one.work)
        .then((v) => {
          this.count(1);
          one.resolve(v);
        }, one.reject);
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const unit of group) {
          await sql`savepoint group_unit`.execute(trx);
          try {
            const value = await unit.work(trx);
            await sql`release savepoint group_unit`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (err) {
            await sql`rollback to savepoint group_unit`.execute(trx);
            await sql`release savepoint group_unit`.execute(trx);
            outcomes.push({ ok: false, err });
          }
        }
      });
    } catch (err) {
      // The commit itself failed: nothing of this group is stored.
      for (const unit of group) unit.reject(err);
      return;
    }
    this.count(group.length);
    group.forEach((unit, i) => {
      const o = outcomes[i]!;
      if (o.ok) unit.resolve(o.value);
      else unit.reject(o.err);
    });
  }
}
