import type { Db } from '../../src/store/db';
import { openSqliteFile, storeFor } from '../support/store-db';
import { claimSendable, paceChannel, queueAlertCard, type ClaimOptions } from '../../src/store/outbox';
import { RANK } from '../../src/store/outbox-keys';
import { burstFolder, postsBeforePage, recordRollupPosted, ROLLUP_PAGE_SIZE, ROLLUP_QUIET_MS, unfoldCard } from '../../src/store/rollups';

/**
 * The fold, decided inside the claim on a real SQLite file, with the clock passed in: when a
 * channel's queue would hold a card past the hold, when a roll-up keeps taking posts, when it
 * is closed, and what Open as card changes.
 */
const T0 = new Date('2026-12-01T10:02:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let db: Db;
let next = 0;
storeFor(openSqliteFile, 'each', (opened) => (db = opened));

/** Mentions with their cards queued in channel C0BUSY, at `rank`; returns their ids. */
async function queueCards(count: number, rank: (typeof RANK)[keyof typeof RANK], now: Date): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const row = await db.kysely
      .insertInto('mentions')
      .values({
        source: 'x', external_id: `m${++next}`, author_handle: `dr${next}`, text: 'Nice talk about Velorixan.', text_from_reporter: 0, posted_at: now.toISOString(), received_at: now.toISOString(), product: 'Velorixan',
        via: 'webhook', sentiment: 'neutral', sentiment_score: 0, sentiment_cues: '[]', adverse_event: 0, adverse_event_cues: '{}', status: 'open', version: 1, updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await queueAlertCard(db.kysely, { mentionId: row.id, channel: 'C0BUSY', role: 'alert', rank }, now);
    ids.push(row.id);
  }
  return ids;
}

const opts = (stats = { folded: 0 }): ClaimOptions => ({ dialect: 'sqlite', leaseMs: 60_000, limit: 32, inFlightHoldMs: 15_000, fold: burstFolder({ holdMs: 10_000, gapMs: 1_000 }), stats });
const kinds = (rows: { kind: string }[]) => rows.map((r) => r.kind);
const statusOf = async (kind: 'alert_card' | 'rollup' | 'rollup_page') => (await db.kysely.selectFrom('outbox').select('status').where('kind', '=', kind).orderBy('id').execute()).map((r) => r.status);

test('ten cards wait 10 s: not folded; eleven would wait longer: the routine ones fold, the priority card goes first', async () => {
  await queueCards(10, RANK.routine, T0);
  const stats = { folded: 0 };
  expect(kinds(await claimSendable(db.kysely, T0, opts(stats)))).toEqual(['alert_card']);
  expect(stats.folded).toBe(0);
  expect(await db.kysely.selectFrom('rollups').selectAll().execute()).toEqual([]);

  // Ten still queued plus an adverse event: 11 × 1 s > 10 s.
  const [ae] = await queueCards(1, RANK.adverseEvent, at(500));
  await paceChannel(db.kysely, 'C0BUSY', at(1000));
  const claimed = await claimSendable(db.kysely, at(1000), opts(stats));
  expect(stats.folded).toBe(9);
  expect(claimed.map((c) => JSON.parse(c.payload).mentionId)).toEqual([ae]);
  expect((await statusOf('alert_card')).sort()).toEqual([...Array(9).fill('folded'), 'pending', 'pending'].sort());
  const [rollup] = await db.kysely.selectFrom('rollups').selectAll().execute();
  expect(rollup).toMatchObject({ channel: 'C0BUSY', status: 'open', post_count: 9, ts: null, opened_at: at(1000).toISOString() });
  // The roll-up message waits its turn; its pages wait for it (they reply in its thread).
  expect(await statusOf('rollup')).toEqual(['pending']);
  expect(await statusOf('rollup_page')).toEqual([]);
  const folded = await db.kysely.selectFrom('mentions').select(['rollup_id', 'rollup_page']).where('rollup_id', 'is not', null).execute();
  expect(folded).toEqual(Array(9).fill({ rollup_id: rollup!.id, rollup_page: 0 }));

  // The next post of the channel is the roll-up; once posted, its page is queued in its thread.
  await paceChannel(db.kysely, 'C0BUSY', at(2000));
  const [rollupEntry] = await claimSendable(db.kysely, at(2000), opts());
  expect(rollupEntry!.kind).toBe('rollup');
  await recordRollupPosted(db.kysely, rollup!.id, '1800000000.000100', at(2100));
  const page = await db.kysely.selectFrom('outbox').select('payload').where('kind', '=', 'rollup_page').executeTakeFirstOrThrow();
  expect(JSON.parse(page.payload)).toEqual({ kind: 'rollup_page', rollupId: rollup!.id, page: 0, channel: 'C0BUSY', threadTs: '1800000000.000100' });
});

test('a roll-up takes new posts while the burst goes on, pages fill 49 at a time, and after a quiet period the next post gets its own card', async () => {
  expect(ROLLUP_PAGE_SIZE).toBe(49);
  await queueCards(60, RANK.routine, T0);
  await claimSendable(db.kysely, T0, opts());
  const [rollup] = await db.kysely.selectFrom('rollups').selectAll().execute();
  expect(rollup!.post_count).toBe(60);
  const pages = await db.kysely.selectFrom('rollup_pages').select(['page', 'version']).orderBy('page').execute();
  expect(pages).toEqual([{ page: 0, version: 1 }, { page: 1, version: 1 }]);
  const onPage = async (page: number) => (await db.kysely.selectFrom('mentions').select('id').where('rollup_page', '=', page).execute()).length;
  expect([await onPage(0), await onPage(1)]).toEqual([ROLLUP_PAGE_SIZE, 60 - ROLLUP_PAGE_SIZE]);
  expect(await postsBeforePage(db.kysely, rollup!.id, 1)).toBe(ROLLUP_PAGE_SIZE);
  await recordRollupPosted(db.kysely, rollup!.id, '1800000000.000100', at(500));

  // One more post a minute later, with a short queue: it joins the open roll-up, in place, on its last page.
  await queueCards(1, RANK.routine, at(60_000));
  await paceChannel(db.kysely, 'C0BUSY', at(60_000));
  const stats = { folded: 0 };
  await claimSendable(db.kysely, at(60_000), opts(stats));
  expect(stats.folded).toBe(1);
  expect(await onPage(1)).toBe(60 - ROLLUP_PAGE_SIZE + 1);
  const after = await db.kysely.selectFrom('rollups').selectAll().executeTakeFirstOrThrow();
  expect(after).toMatchObject({ post_count: 61, version: 3, status: 'open' });
  // The roll-up in Slack is refreshed (spaced a few seconds), under a key naming its version.
  const updates = await db.kysely.selectFrom('outbox').select(['dedupe_key', 'next_attempt_at']).where('kind', '=', 'rollup_update').execute();
  expect(updates).toEqual([{ dedupe_key: `rollup:update:${rollup!.id}:v3`, next_attempt_at: at(63_000).toISOString() }]);

  // Quiet for longer than the quiet period: the roll-up closes and a lone post is not folded.
  const [lone] = await queueCards(1, RANK.routine, at(60_000 + ROLLUP_QUIET_MS + 1));
  await db.kysely.updateTable('outbox').set({ status: 'sent' }).where('kind', 'in', ['rollup', 'rollup_page', 'rollup_update']).execute();
  await paceChannel(db.kysely, 'C0BUSY', at(60_000 + ROLLUP_QUIET_MS + 1));
  const claimed = await claimSendable(db.kysely, at(60_000 + ROLLUP_QUIET_MS + 1), opts(stats));
  expect(claimed.map((c) => JSON.parse(c.payload).mentionId)).toEqual([lone]);
  expect(await db.kysely.selectFrom('rollups').select('status').execute()).toEqual([{ status: 'closed' }]);
});

test('a card whose send is in flight is never folded; Open as card takes a folded card back once', async () => {
  const ids = await queueCards(12, RANK.routine, T0);
  // An earlier attempt of the first card crashed mid-send: Slack may have it.
  await db.kysely.updateTable('outbox').set({ in_flight: 1 }).where('dedupe_key', '=', `card:alert:${ids[0]}`).execute();
  await claimSendable(db.kysely, T0, opts());
  const first = await db.kysely.selectFrom('outbox').select(['status', 'in_flight']).where('dedupe_key', '=', `card:alert:${ids[0]}`).executeTakeFirstOrThrow();
  expect(first.status).toBe('pending');
  expect(await statusOf('alert_card')).toEqual(['pending', ...Array(11).fill('folded')]);

  expect(await unfoldCard(db.kysely, ids[5]!, 'U0REP', at(100))).toBe(true);
  expect(await unfoldCard(db.kysely, ids[5]!, 'U0OTHER', at(200))).toBe(false);
  const opened = await db.kysely.selectFrom('outbox').select(['status', 'rank']).where('dedupe_key', '=', `card:alert:${ids[5]}`).executeTakeFirstOrThrow();
  expect(opened).toEqual({ status: 'pending', rank: RANK.rep });
  const m = await db.kysely.selectFrom('mentions').select(['opened_as_card_by', 'opened_as_card_at']).where('id', '=', ids[5]!).executeTakeFirstOrThrow();
  expect(m).toEqual({ opened_as_card_by: 'U0REP', opened_as_card_at: at(100).toISOString() });
});

test('while priority cards and a roll-up wait, every priority card goes first (adverse events, then the medical question), then the roll-up and its page', async () => {
  await queueCards(12, RANK.routine, T0);
  const priority = [...(await queueCards(2, RANK.adverseEvent, T0)), ...(await queueCards(1, RANK.medicalQuestion, T0))];
  const story: string[] = [];
  for (let s = 0; s < 6; s++) {
    const now = at(s * 1000);
    await paceChannel(db.kysely, 'C0BUSY', now);
    const claimed = await claimSendable(db.kysely, now, opts());
    for (const c of claimed) {
      const p = JSON.parse(c.payload);
      story.push(c.kind === 'alert_card' ? `card:${priority.indexOf(p.mentionId)}` : c.kind);
      // Delivered: a roll-up posted queues its page in its thread.
      await db.kysely.updateTable('outbox').set({ status: 'sent', in_flight: 0, locked_until: null }).where('id', '=', c.id).execute();
      if (c.kind === 'rollup') await recordRollupPosted(db.kysely, p.rollupId, '1800000000.000100', now);
    }
  }
  expect(story).toEqual(['card:0', 'card:1', 'card:2', 'rollup', 'rollup_page']);
});
