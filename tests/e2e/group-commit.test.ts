import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { mention, postMention, startHarness } from '../support/harness';
import { openDatabase } from '../../src/store/db';

/**
 * Group commit: concurrent units of work share one transaction, each is durable when its
 * promise resolves, and one that fails is rolled back alone.
 */
// SQLite-specific (a second connection reads the file itself): a SQLite file in both passes.
test('concurrent units commit together; a failing one is rolled back alone; each is visible to another connection when it resolves', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-group-'));
  const file = join(dir, 'g.db');
  const db = await openDatabase(`file:${file}`);
  const reader = new SqliteDatabase(file, { readonly: true });
  try {
    const insert = (key: string) =>
      db.groupCommit.run(async (trx) => {
        await trx.insertInto('slack_events').values({ event_id: key, received_at: 'now' }).execute();
        if (key === 'bad') throw new Error('this unit fails');
        return key;
      });
    const seenWhenResolved: Record<string, boolean> = {};
    const commitsBefore = db.groupCommit.stats.commits;
    const keys = ['a', 'b', 'bad', 'c', 'd'];
    const settled = await Promise.allSettled(
      keys.map((k) =>
        insert(k).then((v) => {
          seenWhenResolved[k] = reader.prepare('select 1 from slack_events where event_id = ?').get(k) !== undefined;
          return v;
        }),
      ),
    );
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(seenWhenResolved).toEqual({ a: true, b: true, c: true, d: true });
    const stored = (await sql<{ event_id: string }>`select event_id from slack_events order by event_id`.execute(db.kysely)).rows.map((r) => r.event_id);
    expect(stored).toEqual(['a', 'b', 'c', 'd']);
    // Queued in the same turn of the event loop: one transaction for all five.
    expect(db.groupCommit.stats.commits - commitsBefore).toBe(1);
  } finally {
    reader.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('32 concurrent webhook requests are all accepted and stored once', async () => {
  const h = await startHarness({ PV_CHANNEL_ID: '' });
  try {
    const kysely = h.pulse.ctx.db.kysely;
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => postMention(h.base, mention({ id: `gc-${i % 30}` }))));
    expect(answers.map((a) => a.status)).toEqual(Array(32).fill(202));
    expect(answers.filter((a) => a.json.duplicates === 1)).toHaveLength(2);
    const n = Number((await sql<{ n: number }>`select count(*) as n from mentions`.execute(kysely)).rows[0]!.n);
    expect(n).toBe(30);
    const stats = h.pulse.ctx.db.groupCommit.stats;
    expect(stats.units).toBe(32);
  } finally {
    await h.close();
  }
});

test('on SQLite each group is fsynced before its units resolve, and the connection stays at synchronous FULL for every other writer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-group-'));
  const db = await openDatabase(`file:${join(dir, 'g.db')}`);
  try {
    const syncsWhenResolved: number[] = [];
    const insert = (key: string) =>
      db.groupCommit
        .run(async (trx) => {
          await trx.insertInto('slack_events').values({ event_id: key, received_at: 'now' }).execute();
        })
        .then(() => syncsWhenResolved.push(db.groupCommit.stats.walSyncs));
    // Two groups: the second is queued while the first commits.
    const first = [insert('a'), insert('b')];
    await new Promise((r) => setImmediate(r));
    await Promise.all([...first, insert('c')]);
    expect(db.groupCommit.stats.commits).toBe(2);
    // Every unit saw at least one WAL fsync finished before it resolved; none resolved before any.
    expect(syncsWhenResolved).toHaveLength(3);
    expect(Math.min(...syncsWhenResolved)).toBeGreaterThanOrEqual(1);
    expect(db.groupCommit.stats.walSyncs).toBeGreaterThanOrEqual(1);
    // The group's transaction commits with NORMAL; the connection is FULL again for the outbox, clicks and the rest.
    const sync = (await sql<{ synchronous: number }>`pragma synchronous`.execute(db.kysely)).rows[0]!.synchronous;
    expect(Number(sync)).toBe(2);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
