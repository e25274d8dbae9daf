import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/store/db';
import { freshPostgresDatabase } from './postgres';

/** A store opened for one test file, and how to remove it afterwards. */
export type OpenedStore = { db: Db; cleanup: () => Promise<void> };

/** A fresh SQLite file of its own. */
export async function openSqliteFile(): Promise<OpenedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-store-'));
  const db = await openDatabase(`file:${join(dir, 'store.db')}`);
  return { db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh PostgreSQL database of its own, on the server CI starts. */
export async function openPostgres(): Promise<OpenedStore> {
  const pg = await freshPostgresDatabase();
  return { db: await openDatabase(pg.url), cleanup: pg.drop };
}

/** The store tests run on both databases: `describe.each(BOTH_STORES)`. */
export const BOTH_STORES: [string, () => Promise<OpenedStore>][] = [
  ['SQLite file', openSqliteFile],
  ['PostgreSQL', openPostgres],
];

/**
 * A fresh store for each test of the calling file (`each`) or one for the whole file: opened
 * before, closed and removed after; `use` hands the file its handle.
 */
export function storeFor(open: () => Promise<OpenedStore>, scope: 'each' | 'file', use: (db: Db) => void): void {
  let opened: OpenedStore;
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    opened = await open();
    use(opened.db);
  });
  after(async () => {
    await opened.db.close();
    await opened.cleanup();
  });
}
