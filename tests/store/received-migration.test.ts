import { Migrator } from 'kysely';
import type { Db } from '../../src/store/db';
import { openSqliteFile, storeFor } from '../support/store-db';
import { migrations } from '../../src/store/migrations';
import { openClassifiedMention, receivedMentionIds, receivedStats, recordMention } from '../../src/store/mentions';
import { classificationColumns, UNCLASSIFIED_COLUMNS } from '../../src/store/classification-columns';
import { classifyPost } from '../../src/domain/classification';

/** Received mentions in the store: how they are found, opened once, and what they block. */
const NOW = new Date('2026-12-01T10:00:00.000Z');
let db: Db;
storeFor(openSqliteFile, 'each', (opened) => (db = opened));

const receive = (id: string, receivedAt: Date) =>
  recordMention(db.kysely, {
    source: 'x',
    external_id: id,
    author_handle: 'drjane',
    text: 'Switched two of my patients to Zentiva this month.',
    text_from_reporter: 0,
    posted_at: receivedAt.toISOString(),
    received_at: receivedAt.toISOString(),
    product: 'Zentiva',
    via: 'webhook',
    ...UNCLASSIFIED_COLUMNS,
    status: 'received',
    version: 1,
    updated_at: receivedAt.toISOString(),
  });

test('received mentions are found by age and counted; one opens once, and then counts no more', async () => {
  const old = (await receive('old', new Date(NOW.getTime() - 60_000)))!;
  const fresh = (await receive('fresh', NOW))!;
  expect(await receivedMentionIds(db.kysely, new Date(NOW.getTime() - 30_000), 0, 10)).toEqual([old.id]);
  expect(await receivedMentionIds(db.kysely, new Date(NOW.getTime() + 1), 0, 10)).toEqual([old.id, fresh.id]);
  expect(await receivedStats(db.kysely, NOW)).toEqual({ count: 2, oldestAgeSeconds: 60 });

  const columns = classificationColumns(classifyPost('Switched two of my patients to Zentiva this month.', { product: 'Zentiva' }));
  const opened = await openClassifiedMention(db.kysely, old.id, columns, { name: 'Dr. Jane Doe', owner_slack_id: 'U0REP' }, NOW);
  expect(opened).toMatchObject({ status: 'open', assignee: 'U0REP', author_name: 'Dr. Jane Doe', sentiment: columns.sentiment });
  // A second opener (another instance, a sweep) finds it open already and does nothing.
  expect(await openClassifiedMention(db.kysely, old.id, columns, undefined, NOW)).toBeUndefined();
  expect(await receivedStats(db.kysely, NOW)).toEqual({ count: 1, oldestAgeSeconds: 0 });
});

test('migration 013 is not undone while a mention waits for its classification (older code would never open it)', async () => {
  const waiting = (await receive('waiting', NOW))!;
  const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations(db.dialect) } });
  const back = await migrator.migrateTo('012_outbox_channel_turns_dropped');
  expect(String(back.error)).toMatch(/migration 013 cannot be undone while 1 mention\(s\) wait/);

  const columns = classificationColumns(classifyPost('Switched two of my patients to Zentiva this month.', { product: 'Zentiva' }));
  await openClassifiedMention(db.kysely, waiting.id, columns, undefined, NOW);
  expect((await migrator.migrateTo('012_outbox_channel_turns_dropped')).error).toBeUndefined();
  expect((await migrator.migrateToLatest()).error).toBeUndefined();
});
