import { join } from 'node:path';
import { Client } from 'pg';

/**
 * `npm run test:pg` sets TEST_DATABASE_URL: every test bot then runs on a fresh PostgreSQL
 * database of its own instead of a SQLite file (testDatabase below). Unset: SQLite.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_DATABASE_URL !== undefined;

/** The server fresh databases are made on: TEST_DATABASE_URL's, else the one CI starts (trust auth); PG_TEST_URL overrides it. */
export const PG_ADMIN_URL = TEST_DATABASE_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

let counter = 0;

/** A database of its own for one test (file or bot), dropped by `drop`. */
export async function freshPostgresDatabase(): Promise<TestDatabase> {
  // Unique across jest's workers and runs: pid, time, a counter within this worker.
  const name = `hcp_pulse_test_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * The database one test bot runs on: a SQLite file in `dir`, or, under TEST_DATABASE_URL, a
 * fresh PostgreSQL database. Tests that are about SQLite itself open their file directly
 * and say so; everything else takes its database from here.
 */
export async function testDatabase(dir: string): Promise<TestDatabase> {
  if (onPostgres) return freshPostgresDatabase();
  return { url: `file:${join(dir, 'pulse.db')}`, drop: async () => undefined };
}
