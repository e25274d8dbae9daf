import type { Kysely } from 'kysely';
import { prepared } from './prepared';
import type { ClassificationColumns } from './classification-columns';
import type { Database, HcpRow, MentionRow, MentionUpdate, NewHcp, NewMentionRow } from './schema';
import { IllegalTransition, MENTION_TRANSITIONS, type HcpHandle, type MentionId, type MentionStatus } from './types';

/**
 * Mentions and the HCP roster: every query and state change of the mentions and hcps tables.
 * A mention changes only through `saveMentionChange`, which is conditional on the version
 * that was read: two reps clicking at once never half-update a card.
 */
type Q = Kysely<Database>;

export const findMention = async (db: Q, id: MentionId): Promise<MentionRow | undefined> => (await FIND_MENTION.run(db, [id]))[0];
// Every click on a card reads its mention before its modal opens: written once (prepared.ts).
const FIND_MENTION = prepared<MentionRow>('select * from "mentions" where "id" = ?');

export const findMentionByIdentity = (db: Q, source: string, externalId: string): Promise<MentionRow | undefined> =>
  db.selectFrom('mentions').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

/**
 * The roster entry in effect for `handle`: a retired HCP is not found, so nothing new (routing,
 * target actions and follow-ups, sphere, owner) uses them, while their mentions stay.
 */
export const findHcp = async (db: Q, handle: HcpHandle): Promise<HcpRow | undefined> => (await FIND_HCP.run(db, [handle.toLowerCase(), 1]))[0];
// Every webhook asks (routing, owner): written once rather than built per call (prepared.ts).
const FIND_HCP = prepared<HcpRow>('select * from "hcps" where "handle" = ? and "active" = ?');

/** The whole roster, retired entries included (what an import compares the file against). */
export const listRoster = (db: Q): Promise<HcpRow[]> => db.selectFrom('hcps').selectAll().orderBy('handle').execute();

/** Retires roster entries (their history stays; they are used for nothing new). */
export async function retireHcps(db: Q, handles: HcpHandle[], now: Date): Promise<void> {
  if (!handles.length) return;
  await db
    .updateTable('hcps')
    .set({ active: 0, updated_at: now.toISOString() })
    .where('handle', 'in', handles.map((h) => h.toLowerCase()))
    .execute();
}

/** Colleagues in the author's sphere of influence: same institution, else same specialty. */
export async function findSphere(db: Q, hcp: HcpRow, limit = 5): Promise<{ handle: string; name: string | null; why: string }[]> {
  const out: { handle: string; name: string | null; why: string }[] = [];
  if (hcp.institution) {
    const rows = await db
      .selectFrom('hcps')
      .select(['handle', 'name'])
      .where('institution', '=', hcp.institution)
      .where('handle', '!=', hcp.handle)
      .where('active', '=', 1)
      .orderBy('target', 'desc')
      .orderBy('handle')
      .limit(limit)
      .execute();
    out.push(...rows.map((r) => ({ ...r, why: hcp.institution! })));
  }
  if (out.length < limit && hcp.specialty) {
    const rows = await db
      .selectFrom('hcps')
      .select(['handle', 'name'])
      .where('specialty', '=', hcp.specialty)
      .where('handle', '!=', hcp.handle)
      .where('active', '=', 1)
      .orderBy('target', 'desc')
      .orderBy('handle')
      .limit(limit)
      .execute();
    for (const r of rows) if (out.length < limit && !out.some((o) => o.handle === r.handle)) out.push({ ...r, why: hcp.specialty! });
  }
  return out;
}

/**
 * Marks the mention changed by something kept outside its row (its PV case, its referral), so
 * its card is re-rendered under a new version and a card posted meanwhile is refreshed.
 */
export const bumpMentionVersion = (db: Kysely<Database>, mentionId: number, now: Date): Promise<MentionRow | undefined> =>
  db
    .updateTable('mentions')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now.toISOString() }))
    .where('id', '=', mentionId)
    .returningAll()
    .executeTakeFirst();

/** PV's judgement (or a rep's report to PV) overrides the detector's flag on the mention. */
export const setAdverseEventFlag = (db: Kysely<Database>, mentionId: number, possible: boolean) =>
  db.updateTable('mentions').set({ adverse_event: possible ? 1 : 0 }).where('id', '=', mentionId).execute();

/**
 * Stores a new mention once per (source, external id): its id, or undefined when that post
 * was already logged (a sender's retry, a second rep forwarding it).
 */
export async function recordMention(db: Q, values: NewMentionRow): Promise<{ id: MentionId } | undefined> {
  if (Object.keys(values).some((k) => !RECORDED.has(k))) {
    // A column the written statement does not set: the builder sets exactly what was given.
    return db.insertInto('mentions').values(values).onConflict((oc) => oc.columns(['source', 'external_id']).doNothing()).returning('id').executeTakeFirst();
  }
  const row = values as Record<string, unknown>;
  // An absent column gets what the table would give it (null, or medical_question's 0), as an insert that omits it would.
  return (await RECORD_MENTION.run(db, RECORDED_COLUMNS.map(([c, absent]) => (row[c] === undefined ? absent : row[c]))))[0];
}

/** The columns a new mention is written with, and each one's value when the caller leaves it out. */
const RECORDED_COLUMNS: readonly (readonly [keyof NewMentionRow, unknown])[] = [
  ['source', undefined], ['external_id', undefined], ['url', null], ['author_handle', undefined], ['author_name', null], ['text', undefined],
  ['text_from_reporter', undefined], ['posted_at', undefined], ['received_at', undefined], ['product', null], ['via', undefined], ['reported_by', null],
  ['sentiment', undefined], ['sentiment_score', undefined], ['sentiment_cues', undefined], ['adverse_event', undefined], ['adverse_event_cues', undefined],
  ['classification', null], ['medical_question', 0], ['tool_sentiment', null], ['tool_query', null], ['status', undefined], ['assignee', null],
  ['version', undefined], ['updated_at', undefined],
];
const RECORDED = new Set<string>(RECORDED_COLUMNS.map(([c]) => c));
const RECORD_MENTION = prepared<{ id: MentionId }>(
  `insert into "mentions" (${RECORDED_COLUMNS.map(([c]) => `"${c}"`).join(', ')}) values (${RECORDED_COLUMNS.map(() => '?').join(', ')})
   on conflict ("source", "external_id") do nothing returning "id"`,
);

/**
 * A received mention takes its classification and who handles it, and opens. Conditional on
 * still being received, so that two instances (or the start-up sweep and the live queue) open
 * it once: the one that gets undefined queues nothing.
 */
export const openClassifiedMention = (
  db: Q,
  id: MentionId,
  columns: ClassificationColumns,
  hcp: Pick<HcpRow, 'name' | 'owner_slack_id'> | undefined,
  now: Date,
): Promise<MentionRow | undefined> =>
  db
    .updateTable('mentions')
    .set((eb) => ({
      ...columns,
      status: 'open',
      assignee: hcp?.owner_slack_id ?? null,
      author_name: eb.fn.coalesce('author_name', eb.val(hcp?.name ?? null)),
      updated_at: now.toISOString(),
    }))
    .where('id', '=', id)
    .where('status', '=', 'received' satisfies MentionStatus)
    .returningAll()
    .executeTakeFirst();

/** What classifying a received mention needs to read. */
export type ReceivedMention = Pick<MentionRow, 'id' | 'text' | 'product' | 'author_handle'>;

/** Of `ids`, the mentions still received (not opened by anyone yet), with what classifying them needs. */
export const findReceivedMentions = (db: Q, ids: readonly MentionId[]): Promise<ReceivedMention[]> =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('mentions')
        .select(['id', 'text', 'product', 'author_handle'])
        .where('id', 'in', ids)
        .where('status', '=', 'received' satisfies MentionStatus)
        .orderBy('id')
        .execute();

/** Ids of the mentions still waiting for their classification that arrived before `before`, by id after `afterId`. */
export const receivedMentionIds = async (db: Q, before: Date, afterId: number, limit: number): Promise<MentionId[]> =>
  (
    await db
      .selectFrom('mentions')
      .select('id')
      .where('status', '=', 'received' satisfies MentionStatus)
      .where('received_at', '<', before.toISOString())
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** How many mentions wait for their classification (every instance's), and how long the oldest has. */
export async function receivedStats(db: Q, now: Date): Promise<{ count: number; oldestAgeSeconds: number }> {
  const row = await db
    .selectFrom('mentions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('received_at').as('oldest')])
    .where('status', '=', 'received' satisfies MentionStatus)
    .executeTakeFirst();
  const oldest = row?.oldest ? Date.parse(String(row.oldest)) : null;
  return { count: Number(row?.n ?? 0), oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000) };
}

/**
 * Applies `patch` to the mention as it was read (`from`), bumping its version. Undefined when
 * someone changed it first: the caller decides again on fresh state.
 */
export async function saveMentionChange(db: Q, from: Pick<MentionRow, 'id' | 'version' | 'status'>, patch: MentionUpdate, now: Date): Promise<MentionRow | undefined> {
  const to = patch.status as MentionStatus | undefined;
  if (to !== undefined && !MENTION_TRANSITIONS[from.status].includes(to)) throw new IllegalTransition('mention', from.id, from.status, to);
  return db
    .updateTable('mentions')
    .set({ ...patch, version: from.version + 1, updated_at: now.toISOString() })
    .where('id', '=', from.id)
    .where('version', '=', from.version)
    .where('status', '=', from.status)
    .returningAll()
    .executeTakeFirst();
}

/** An author's open mentions (their follow-ups follow the roster's target flag); received ones get theirs when they open. */
export const openMentionsBy = (db: Q, handle: HcpHandle): Promise<Pick<MentionRow, 'id' | 'sentiment' | 'posted_at' | 'status' | 'author_name'>[]> =>
  db.selectFrom('mentions').select(['id', 'sentiment', 'posted_at', 'status', 'author_name']).where('author_handle', '=', handle.toLowerCase()).where('status', '=', 'open').execute();

/** Adds or replaces a roster entry by handle; says whether the HCP was a target before (null: new). */
export async function upsertHcp(db: Q, hcp: NewHcp): Promise<{ targetBefore: number | null }> {
  const handle = hcp.handle.toLowerCase();
  const before = await db.selectFrom('hcps').select('target').where('handle', '=', handle).executeTakeFirst();
  const { handle: _h, ...update } = hcp;
  await db
    .insertInto('hcps')
    .values({ ...hcp, handle })
    .onConflict((oc) => oc.column('handle').doUpdateSet(update))
    .execute();
  return { targetBefore: before?.target ?? null };
}

/** The card of `role` is on Slack at (channel, ts); returns the mention's version, null if it is gone. */
export async function recordCardPosted(db: Q, mentionId: MentionId, role: 'alert' | 'pv', channel: string, ts: string): Promise<number | null> {
  const cols = role === 'pv' ? { pv_channel: channel, pv_ts: ts } : { alert_channel: channel, alert_ts: ts };
  const m = await db.updateTable('mentions').set(cols).where('id', '=', mentionId).returning('version').executeTakeFirst();
  return m ? m.version : null;
}

/**
 * Where the mention's alert card is, read under the mention row's lock (a write that changes
 * nothing takes it on every database). Deciding to hold a thread line from a row read earlier
 * in the transaction lost the line on PostgreSQL: the card's delivery could record the card
 * and release the held lines between that read and the hold. Under the lock, a delivery
 * already committed is seen, and one still to come waits for this transaction and then
 * releases what it held.
 */
export const lockCardPlacement = (db: Q, mentionId: MentionId): Promise<Pick<MentionRow, 'alert_channel' | 'alert_ts'> | undefined> =>
  db
    .updateTable('mentions')
    .set((eb) => ({ alert_ts: eb.ref('alert_ts') }))
    .where('id', '=', mentionId)
    .returning(['alert_channel', 'alert_ts'])
    .executeTakeFirst();

/** The author's other mentions since `since`, newest first (their history on the card). */
export const earlierMentionsOf = (db: Q, handle: string, exceptMentionId: number, since: string) =>
  db
    .selectFrom('mentions')
    .select(['id', 'posted_at', 'sentiment', 'url', 'alert_channel', 'alert_ts'])
    .where('author_handle', '=', handle.toLowerCase())
    .where('id', '!=', exceptMentionId)
    .where('status', '!=', 'received')
    .where('posted_at', '>=', since)
    .orderBy('posted_at', 'desc')
    .orderBy('id', 'desc')
    .execute();


/** When a mention arrived (for the mention-to-card time), or undefined when it is gone. */
export const mentionReceivedAt = async (db: Q, id: number): Promise<string | undefined> =>
  (await db.selectFrom('mentions').select('received_at').where('id', '=', id).executeTakeFirst())?.received_at;
