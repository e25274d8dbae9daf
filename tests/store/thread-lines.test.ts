import { queueThreadLine } from '../../src/services/card-actions';
import type { Db } from '../../src/store/db';
import { openSqliteFile, storeFor } from '../support/store-db';
import { findMention, recordCardPosted } from '../../src/store/mentions';
import { releaseThreadLinesOf } from '../../src/store/outbox';

/**
 * A thread line decided from a mention row read before the card's delivery committed. On
 * PostgreSQL the delivery (record the card, release held lines) can commit between a
 * transaction's read of the row and its hold of the line: the line was then held with nobody
 * left to release it. Here the same order, step by step, on a real SQLite file.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
let db: Db;
storeFor(openSqliteFile, 'each', (opened) => (db = opened));

test('a line decided from a row read before the card was recorded goes into the card\'s thread, not on hold', async () => {
  const { id } = await db.kysely
    .insertInto('mentions')
    .values({
      source: 'x', external_id: 'm1', author_handle: 'drnova', text: 'Attending a Zentiva symposium.', text_from_reporter: 0, posted_at: NOW.toISOString(), received_at: NOW.toISOString(), product: 'Zentiva',
      via: 'webhook', sentiment: 'neutral', sentiment_score: 0, sentiment_cues: '[]', adverse_event: 0, adverse_event_cues: '{}', status: 'open', version: 1, updated_at: NOW.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const stale = (await findMention(db.kysely, id))!;
  expect(stale.alert_ts).toBeNull();
  // The card's delivery commits: the card is recorded and its held lines (none yet) released.
  await db.kysely.transaction().execute(async (trx) => {
    await recordCardPosted(trx, id, 'alert', 'C0ALERTS', '1800000001.000001');
    expect(await releaseThreadLinesOf(trx, id, 'C0ALERTS', '1800000001.000001', NOW)).toBe(0);
  });
  await db.kysely.transaction().execute((trx) => queueThreadLine(trx, stale, { kind: 'note', actor: 'U0REP1', text: 'Called her office.' }, 'note:1', NOW));
  const line = await db.kysely.selectFrom('outbox').select(['status', 'payload']).where('kind', '=', 'thread_line').executeTakeFirstOrThrow();
  expect(line.status).toBe('pending');
  expect(JSON.parse(line.payload)).toMatchObject({ channel: 'C0ALERTS', threadTs: '1800000001.000001' });
});
