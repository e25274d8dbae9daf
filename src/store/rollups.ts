import type { Kysely, Transaction } from 'kysely';
import type { Database, RollupRow } from './schema';
import { OUTBOX_STATUS, outboxKey, RANK } from './outbox-keys';
import { queueRollup, queueRollupPage, queueRollupPageUpdate, queueRollupUpdate, refreshWaiting } from './outbox';
import type { MentionId } from './types';

/**
 * Burst roll-ups: every query and state change of the rollups and rollup_pages tables, and the
 * fold itself. Slack takes about one new message per second per channel, thread replies
 * included, so when a channel's queue would hold a card longer than BURST_HOLD_SECONDS its
 * pending low-priority cards are folded into one roll-up message (updated in place) whose
 * thread lists every post, up to ROLLUP_PAGE_SIZE posts per reply.
 *
 * The fold runs inside the outbox claim's transaction, for the channel being claimed (whose
 * pacing row the claim holds, FOR UPDATE on PostgreSQL): the cards' entries become `folded`,
 * the mentions name their roll-up and page, and the roll-up message, its pages and their
 * refreshes are queued as outbox entries with keys from outbox-keys.ts, all in one commit. So
 * a crash either folds a card or leaves it queued, and every message goes out once.
 */
type Q = Kysely<Database> | Transaction<Database>;

/**
 * Posts listed in one thread reply: one section each, plus a heading, which is Block Kit's 50
 * blocks. Each reply is a new message in the channel, paced like a card, so the fewer the
 * sooner every folded post is in Slack: 270 posts take 6 replies (at 25 a reply they took 11).
 */
export const ROLLUP_PAGE_SIZE = 49;
/** A roll-up takes at most this many posts; the next fold starts a new one (a new message). */
export const ROLLUP_MAX_POSTS = 500;
/**
 * While a roll-up folded something this recently, the channel's new low-priority posts join it
 * even when the queue is short again, so an ebbing burst does not alternate cards and roll-up
 * lines. After this quiet period the roll-up is closed and the next burst starts a new one.
 */
export const ROLLUP_QUIET_MS = 120_000;
/**
 * A roll-up message or page in Slack is refreshed at most this often while a burst goes on
 * (a waiting refresh renders the latest state), keeping chat.update well under its budget.
 */
export const ROLLUP_REFRESH_MS = 3_000;

export interface FoldRule {
  /** BURST_HOLD_SECONDS, in ms: the longest a card may wait in its channel's queue. */
  holdMs: number;
  /** The channel's pacing: one new message per this many ms. */
  gapMs: number;
}

/**
 * What the claim calls, in its transaction, for each channel it may post to: folds the
 * channel's pending low-priority cards when its queue would hold a card longer than the hold
 * (queue length × pacing), or while the channel's roll-up is still taking a burst. Returns
 * how many cards were folded.
 */
export function burstFolder(rule: FoldRule) {
  return (trx: Transaction<Database>, channel: string, now: Date): Promise<number> => foldBurst(trx, channel, now, rule);
}

export async function foldBurst(trx: Transaction<Database>, channel: string, now: Date, rule: FoldRule): Promise<number> {
  const nowIso = now.toISOString();
  const open = await trx.selectFrom('rollups').selectAll().where('channel', '=', channel).where('status', '=', 'open').orderBy('id', 'desc').executeTakeFirst();
  const taking = open !== undefined && Date.parse(open.last_folded_at) > now.getTime() - ROLLUP_QUIET_MS && open.post_count < ROLLUP_MAX_POSTS;
  if (open && !taking) await closeRollup(trx, open.id, now);
  if (!taking && !(await wouldHold(trx, channel, rule))) return 0;

  const target = taking ? open! : undefined;
  const room = ROLLUP_MAX_POSTS - (target?.post_count ?? 0);
  const foldable = await trx
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('status', '=', OUTBOX_STATUS.pending)
    .where('channel', '=', channel)
    .where('kind', '=', 'alert_card')
    .where('lane', '=', 'post')
    .where('rank', '=', RANK.routine)
    // A send whose outcome is unknown may already be in Slack: it is resolved, not folded.
    .where('in_flight', '=', 0)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .orderBy('id')
    .limit(room)
    .execute();
  const items = foldable
    .map((r) => ({ id: r.id, payload: JSON.parse(r.payload) as { mentionId?: number; role?: string } }))
    .filter((r) => r.payload.role === 'alert' && typeof r.payload.mentionId === 'number');
  if (items.length === 0) return 0;

  const rollup = target ?? (await startRollup(trx, channel, now));
  // New posts fill the last page, then start the next: counted, not derived from post_count,
  // so a page never takes more than ROLLUP_PAGE_SIZE whatever size its earlier pages were.
  let { page, n } = target ? await lastPageOf(trx, rollup.id) : { page: 0, n: 0 };
  const byPage = new Map<number, MentionId[]>();
  for (const item of items) {
    if (n >= ROLLUP_PAGE_SIZE) {
      page += 1;
      n = 0;
    }
    byPage.set(page, [...(byPage.get(page) ?? []), item.payload.mentionId as MentionId]);
    n += 1;
  }
  await trx
    .updateTable('outbox')
    .set({ status: OUTBOX_STATUS.folded, last_error: null })
    .where('id', 'in', items.map((i) => i.id))
    .execute();
  for (const [page, mentionIds] of byPage) {
    await trx.updateTable('mentions').set({ rollup_id: rollup.id, rollup_page: page }).where('id', 'in', mentionIds).execute();
  }
  // The roll-up row is locked by this update before its pages are read: a concurrent
  // "roll-up posted" (recordRollupPosted) either sees these pages or is seen here with its ts.
  const after = await trx
    .updateTable('rollups')
    .set((eb) => ({ post_count: eb('post_count', '+', items.length), version: eb('version', '+', 1), last_folded_at: nowIso }))
    .where('id', '=', rollup.id)
    .returning(['ts', 'version'])
    .executeTakeFirstOrThrow();
  await queueRollup(trx, { rollupId: rollup.id, channel }, now);
  const spaced = new Date(now.getTime() + ROLLUP_REFRESH_MS);
  if (after.ts && !(await refreshWaiting(trx, { kind: 'rollup_update', channel, rollupId: rollup.id }))) {
    await queueRollupUpdate(trx, { rollupId: rollup.id, channel, ts: after.ts, version: after.version }, now, spaced);
  }
  for (const page of byPage.keys()) {
    const p = await trx
      .insertInto('rollup_pages')
      .values({ rollup_id: rollup.id, page, version: 1, ts: null })
      .onConflict((oc) => oc.columns(['rollup_id', 'page']).doUpdateSet((eb) => ({ version: eb('rollup_pages.version', '+', 1) })))
      .returning(['ts', 'version'])
      .executeTakeFirstOrThrow();
    // Before the roll-up is in Slack its pages wait: recordRollupPosted queues them.
    if (!after.ts) continue;
    if (!p.ts) await queueRollupPage(trx, { rollupId: rollup.id, page, channel, threadTs: after.ts }, now);
    else if (!(await refreshWaiting(trx, { kind: 'rollup_page_update', channel, rollupId: rollup.id, page }))) {
      await queueRollupPageUpdate(trx, { rollupId: rollup.id, page, channel, ts: p.ts, version: p.version }, now, spaced);
    }
  }
  return items.length;
}

/** The roll-up's last page and how many posts it lists (page 0, none, for an empty roll-up). */
async function lastPageOf(trx: Q, rollupId: number): Promise<{ page: number; n: number }> {
  const last = await trx
    .selectFrom('mentions')
    .select(['rollup_page', (eb) => eb.fn.countAll<number>().as('n')])
    .where('rollup_id', '=', rollupId)
    .groupBy('rollup_page')
    .orderBy('rollup_page', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.rollup_page == null ? { page: 0, n: 0 } : { page: last.rollup_page, n: Number(last.n) };
}

/** How many of the roll-up's posts are listed on the pages before this one (the page's first post is the next). */
export async function postsBeforePage(db: Q, rollupId: number, page: number): Promise<number> {
  const r = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('rollup_id', '=', rollupId)
    .where('rollup_page', '<', page)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Whether the channel's queue would hold its last card longer than the hold: queue length × pacing. */
async function wouldHold(trx: Q, channel: string, rule: FoldRule): Promise<boolean> {
  // Counting stops just past the threshold: a backlog of thousands costs no more than ten.
  const threshold = Math.floor(rule.holdMs / rule.gapMs);
  const queued = await trx
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', OUTBOX_STATUS.pending)
    .where('lane', '=', 'post')
    .where('channel', '=', channel)
    .limit(threshold + 1)
    .execute();
  return queued.length * rule.gapMs > rule.holdMs;
}

async function startRollup(trx: Q, channel: string, now: Date): Promise<Pick<RollupRow, 'id' | 'post_count'>> {
  const nowIso = now.toISOString();
  return trx
    .insertInto('rollups')
    .values({ channel, status: 'open', opened_at: nowIso, last_folded_at: nowIso, closed_at: null, post_count: 0, version: 1, ts: null, posted_at: null })
    .returning(['id', 'post_count'])
    .executeTakeFirstOrThrow();
}

const closeRollup = (trx: Q, id: number, now: Date) =>
  trx.updateTable('rollups').set({ status: 'closed', closed_at: now.toISOString() }).where('id', '=', id).where('status', '=', 'open').execute();

export const findRollup = (db: Q, id: number): Promise<RollupRow | undefined> => db.selectFrom('rollups').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * The roll-up message is in Slack at `ts`: recorded, and its pages queued as replies in its
 * thread. Returns the roll-up's version (to refresh a message rendered from an older one).
 */
export async function recordRollupPosted(trx: Q, id: number, ts: string, now: Date): Promise<{ version: number; channel: string } | null> {
  const r = await trx.updateTable('rollups').set({ ts, posted_at: now.toISOString() }).where('id', '=', id).returning(['version', 'channel']).executeTakeFirst();
  if (!r) return null;
  const pages = await trx.selectFrom('rollup_pages').select('page').where('rollup_id', '=', id).where('ts', 'is', null).orderBy('page').execute();
  for (const { page } of pages) await queueRollupPage(trx, { rollupId: id, page, channel: r.channel, threadTs: ts }, now);
  return r;
}

/** A page is in Slack at `ts`; returns its version (to refresh a reply rendered from an older one). */
export async function recordRollupPagePosted(trx: Q, rollupId: number, page: number, ts: string): Promise<number | null> {
  const p = await trx.updateTable('rollup_pages').set({ ts }).where('rollup_id', '=', rollupId).where('page', '=', page).returning('version').executeTakeFirst();
  return p ? p.version : null;
}

export const findRollupPage = (db: Q, rollupId: number, page: number) =>
  db.selectFrom('rollup_pages').selectAll().where('rollup_id', '=', rollupId).where('page', '=', page).executeTakeFirst();

/** Posts in the roll-up, by stance and by product (what the roll-up message summarises). */
export async function rollupCounts(db: Q, rollupId: number) {
  const byStance = await db
    .selectFrom('mentions')
    .select(['sentiment', (eb) => eb.fn.countAll<number>().as('n')])
    .where('rollup_id', '=', rollupId)
    .groupBy('sentiment')
    .execute();
  const byProduct = await db
    .selectFrom('mentions')
    .select(['product', (eb) => eb.fn.countAll<number>().as('n')])
    .where('rollup_id', '=', rollupId)
    .groupBy('product')
    .execute();
  return { byStance: byStance.map((r) => ({ sentiment: r.sentiment, n: Number(r.n) })), byProduct: byProduct.map((r) => ({ product: r.product, n: Number(r.n) })) };
}

/** The posts a page lists, in the order they arrived. */
export const rollupPageItems = (db: Q, rollupId: number, page: number) =>
  db
    .selectFrom('mentions')
    .select(['id', 'author_handle', 'author_name', 'text', 'url', 'sentiment', 'product', 'posted_at', 'alert_channel', 'alert_ts', 'opened_as_card_by'])
    .where('rollup_id', '=', rollupId)
    .where('rollup_page', '=', page)
    .orderBy('id')
    .execute();
export type RollupPageItemRow = Awaited<ReturnType<typeof rollupPageItems>>[number];

/**
 * A rep asked for a folded post's full card (Open as card): its folded entry is queued again,
 * ahead of routine posts, and the mention says who asked. Only the first click changes
 * anything (the entry is no longer folded after it), so a double click posts one card.
 */
export async function unfoldCard(trx: Q, mentionId: MentionId, user: string, now: Date): Promise<boolean> {
  const nowIso = now.toISOString();
  const changed = await trx
    .updateTable('outbox')
    .set({ status: OUTBOX_STATUS.pending, rank: RANK.rep, next_attempt_at: nowIso, locked_until: null, in_flight: 0 })
    .where('dedupe_key', '=', outboxKey.alertCard(mentionId, 'alert'))
    .where('status', '=', OUTBOX_STATUS.folded)
    .returning('channel')
    .executeTakeFirst();
  if (!changed) return false;
  await trx.updateTable('mentions').set({ opened_as_card_by: user, opened_as_card_at: nowIso }).where('id', '=', mentionId).execute();
  if (changed.channel) {
    await trx
      .insertInto('outbox_channels')
      .values({ channel: changed.channel, ready_at: new Date(0).toISOString() })
      .onConflict((oc) => oc.column('channel').doNothing())
      .execute();
  }
  return true;
}

/**
 * Something a page shows of one of its posts changed (its card was opened or posted): the page
 * gets a new version, and its reply in Slack, if posted, is refreshed.
 */
export async function touchRollupPageOf(trx: Q, mentionId: MentionId, now: Date): Promise<void> {
  const m = await trx.selectFrom('mentions').select(['rollup_id', 'rollup_page']).where('id', '=', mentionId).executeTakeFirst();
  if (m?.rollup_id == null || m.rollup_page == null) return;
  const p = await trx
    .updateTable('rollup_pages')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('rollup_id', '=', m.rollup_id)
    .where('page', '=', m.rollup_page)
    .returning(['ts', 'version'])
    .executeTakeFirst();
  const r = await findRollup(trx, m.rollup_id);
  if (p?.ts && r) await queueRollupPageUpdate(trx, { rollupId: r.id, page: m.rollup_page, channel: r.channel, ts: p.ts, version: p.version }, now);
}

/**
 * Slack refused the roll-up message for good (the channel is gone, the bot was removed): its
 * posts must not stay hidden behind it. Each folded card is queued again on its own, at a
 * rank that is never folded again (so a channel that refuses everything cannot fold them in a
 * loop), and goes through the card's own path, which moves a card the roster's channel refuses
 * to ALERT_CHANNEL_ID. The roll-up is closed. Returns how many cards were queued again.
 */
export async function unfoldRefusedRollup(trx: Q, rollupId: number, now: Date): Promise<number> {
  const mentions = await trx.selectFrom('mentions').select('id').where('rollup_id', '=', rollupId).execute();
  if (mentions.length > 0) {
    await trx
      .updateTable('outbox')
      .set({ status: OUTBOX_STATUS.pending, rank: RANK.rollup, next_attempt_at: now.toISOString(), locked_until: null, in_flight: 0 })
      .where('status', '=', OUTBOX_STATUS.folded)
      .where('dedupe_key', 'in', mentions.map((m) => outboxKey.alertCard(m.id, 'alert')))
      .execute();
    await trx.updateTable('mentions').set({ rollup_id: null, rollup_page: null }).where('rollup_id', '=', rollupId).execute();
  }
  await trx.deleteFrom('rollup_pages').where('rollup_id', '=', rollupId).execute();
  await closeRollup(trx, rollupId, now);
  return mentions.length;
}
