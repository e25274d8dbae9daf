import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import { Pool } from 'pg';
import type { Database } from './schema';
import { migrations } from './migrations';
import { GroupCommit } from './group-commit';
import { SAFETY_NET_PAGES, startCheckpointer } from './sqlite-checkpointer';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** Runs a unit of work in a transaction shared with concurrent ones (group-commit.ts). */
  groupCommit: GroupCommit;
  close(): Promise<void>;
}

/** Opens DATABASE_URL (file:… or postgres://…) and brings its schema up to date. */
export async function openDatabase(databaseUrl: string): Promise<Db> {
  const db = databaseUrl.startsWith('file:') ? openSqlite(databaseUrl.slice('file:'.length)) : openPostgres(databaseUrl);
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations(db.dialect) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.close();
    throw new Error(`Database migration failed for ${redactUrl(databaseUrl)}: ${(error as Error).message ?? error}`);
  }
  return db;
}

function openSqlite(path: string): Db {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a committed mention survives power loss, which is what our 202 promises.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  if (file === ':memory:') return { kysely, dialect: 'sqlite', groupCommit: new GroupCommit(kysely), close: () => kysely.destroy() };
  sqlite.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const checkpointer = startCheckpointer(file, (message) => process.emitWarning(`SQLite checkpoint failed: ${message}`));
  return {
    kysely,
    dialect: 'sqlite',
    groupCommit: new GroupCommit(kysely),
    close: async () => {
      await checkpointer.stop();
      await kysely.destroy();
    },
  };
}

/**
 * Kysely prepares every query afresh; compiling the SQL is a good part of a short query's
 * cost. The bot runs a small, fixed set of statements, so each is prepared once and reused.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        // Queries built with a variable number of values (IN lists) must not grow it forever.
        if (cache.size < 1000) cache.set(sql, stmt);
      }
      return stmt;
    },
    close: () => sqlite.close(),
  };
}

function openPostgres(url: string): Db {
  const pool = new Pool({ connectionString: url, max: 10 });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', groupCommit: new GroupCommit(kysely), close: () => kysely.destroy() };
}

/** Whether the database answers a trivial query now (for /healthz). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}

export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
