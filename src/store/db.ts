import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import type * as Pg from 'pg';
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

export interface DatabaseOptions {
  /** PostgreSQL: most connections this process opens (DATABASE_POOL_MAX). */
  poolMax?: number;
  /** PostgreSQL: told about a connection the server or the network dropped (it is discarded and replaced). */
  onConnectionError?: (err: Error) => void;
}

export const DEFAULT_POOL_MAX = 10;

/**
 * The PostgreSQL driver, loaded on first use: a bot on SQLite never needs it, and loading it
 * costs every process some 2 MB of heap and 5 MB of resident memory (measured after import).
 */
const pg = (): typeof Pg => require('pg');

/**
 * PostgreSQL limits, fixed rather than configured: generous for any query the bot runs, short
 * enough that a database that stopped answering is noticed (and /healthz says so) within
 * seconds instead of wedging a connection forever.
 */
export const PG_LIMITS = {
  /** Opening a connection: a server that is down or unreachable fails fast. */
  connectMs: 5_000,
  /** An idle connection is closed after this; the pool opens new ones as needed. */
  idleMs: 30_000,
  /** Server side: no statement of the running bot takes longer (migrations are exempt). */
  statementMs: 60_000,
  /** Server side: a transaction left open by a stuck client releases its locks. */
  idleInTransactionMs: 60_000,
  /** Client side: a query whose answer never comes (a cut network) fails rather than hangs. */
  queryMs: 65_000,
} as const;

/** Opens DATABASE_URL (file:… or postgres://…) and brings its schema up to date. */
export async function openDatabase(databaseUrl: string, options: DatabaseOptions = {}): Promise<Db> {
  const db = databaseUrl.startsWith('file:') ? openSqlite(databaseUrl.slice('file:'.length)) : openPostgres(databaseUrl, options);
  try {
    if (db.dialect === 'postgres') await underMigrationLock(databaseUrl, () => migratePostgres(databaseUrl));
    else await migrate(db.kysely, db.dialect);
  } catch (err) {
    await db.close();
    throw new Error(`Database migration failed for ${redactUrl(databaseUrl)}: ${(err as Error).message ?? err}`);
  }
  return db;
}

async function migrate(kysely: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => migrations(dialect) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}

/**
 * On a connection of its own, without the pool's statement timeout: a migration that builds an
 * index on a large table may take minutes, and must not be cut off at PG_LIMITS.statementMs.
 */
async function migratePostgres(url: string): Promise<void> {
  const pool = new (pg().Pool)({ connectionString: url, max: 1, connectionTimeoutMillis: PG_LIMITS.connectMs });
  pool.on('error', () => undefined);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(kysely, 'postgres');
  } finally {
    await kysely.destroy();
  }
}

/** Our own key for pg_advisory_lock (Kysely's migrator uses another inside its transaction). */
export const MIGRATION_LOCK_KEY = 7_231_905_114_020_611n;

/**
 * Several instances started together (a rolling deploy, a scaled-out service) must migrate
 * once: each takes a session-level advisory lock on a connection of its own, so the others
 * wait, then find the schema current and have nothing left to do. The lock goes with the
 * session, so a process killed mid-migration frees it (and its transaction rolls back).
 */
async function underMigrationLock<T>(url: string, run: () => Promise<T>): Promise<T> {
  const client = new (pg().Client)({ connectionString: url, connectionTimeoutMillis: PG_LIMITS.connectMs });
  // An error on this connection while we wait must reject below, not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    try {
      return await run();
    } finally {
      await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
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
  const groupCommit = new GroupCommit(kysely);
  return {
    kysely,
    dialect: 'sqlite',
    groupCommit,
    close: async () => {
      await groupCommit.close();
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

function openPostgres(url: string, options: DatabaseOptions): Db {
  const pool = new (pg().Pool)({
    connectionString: url,
    max: options.poolMax ?? DEFAULT_POOL_MAX,
    connectionTimeoutMillis: PG_LIMITS.connectMs,
    idleTimeoutMillis: PG_LIMITS.idleMs,
    statement_timeout: PG_LIMITS.statementMs,
    idle_in_transaction_session_timeout: PG_LIMITS.idleInTransactionMs,
    query_timeout: PG_LIMITS.queryMs,
    keepAlive: true,
  });
  // A connection the server terminates (a restart, a failover, pg_terminate_backend) emits
  // 'error'. Unhandled, that event would end the process; handled, the pool drops the
  // connection and opens a fresh one on the next query. Each connection gets a listener of its
  // own (one checked out between two queries has no other), which reports the drop once; the
  // pool repeats it for idle connections, so its own listener only keeps the process alive.
  pool.on('connect', (client) => client.on('error', (err) => options.onConnectionError?.(err)));
  pool.on('error', () => undefined);
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', groupCommit: new GroupCommit(kysely), close: () => kysely.destroy() };
}

/** How long /healthz waits for the database before calling it down. */
export const HEALTH_TIMEOUT_MS = 2_000;

export type DatabaseHealth = { ok: true } | { ok: false; problem: string; error?: unknown };

/** Whether the database answers a trivial query now, and if not, why (for /healthz). */
export async function databaseAnswers(db: Db, timeoutMs = HEALTH_TIMEOUT_MS): Promise<DatabaseHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DatabaseHealth>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, problem: `the database did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
  });
  const query = sql`select 1`.execute(db.kysely).then(
    (): DatabaseHealth => ({ ok: true }),
    (error: unknown): DatabaseHealth => ({ ok: false, problem: 'the database refused the connection or the query', error }),
  );
  try {
    return await Promise.race([query, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
