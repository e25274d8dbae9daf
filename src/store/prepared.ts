import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * SQL written once, for the few statements every webhook runs (the mention, its reminders,
 * its card in the outbox, its audit entry, the roster lookup). Building a query with Kysely's
 * builder and compiling it cost more than running it on SQLite (about 0.4 ms of a 1 ms
 * webhook, measured by `npm run bench` with BENCH_CPU_PROF); this text is made once per
 * dialect and runs through the same Kysely connection and transaction as any other query, so
 * what it commits and when is unchanged. SQLite's driver reuses the prepared statement by its
 * text (db.ts, withStatementCache).
 *
 * The text is written with `?` placeholders; PostgreSQL gets them numbered ($1, $2, …). A `?`
 * inside a quoted literal would be numbered too: these statements take every value as a parameter.
 */
export interface Prepared<R> {
  run(db: Kysely<Database>, params: readonly unknown[]): Promise<R[]>;
}

export function prepared<R = never>(text: string): Prepared<R> {
  const sqlite = text.replace(/\s+/g, ' ').trim();
  let n = 0;
  const postgres = sqlite.replace(/\?/g, () => `$${++n}`);
  return {
    run: async (db, params) => {
      const postgresDb = db.getExecutor().adapter instanceof PostgresAdapter;
      return (await db.executeQuery<R>(CompiledQuery.raw(postgresDb ? postgres : sqlite, params as unknown[]))).rows;
    },
  };
}
