import type { Kysely, Transaction } from 'kysely';
import type { PvCaseOrigin, PvCaseStatus } from '../domain/pv-case';
import type { Database, PvCaseRow } from './schema';
import { prepared } from './prepared';

/**
 * PV cases: every query and state change of the pv_cases table, behind verbs named for what
 * PV does. Each transition is conditional on the status it leaves (and the row's version), so
 * two people clicking at once, or two bot instances, change a case once.
 */
type Q = Kysely<Database> | Transaction<Database>;

export const findPvCase = (db: Q, id: number): Promise<PvCaseRow | undefined> => db.selectFrom('pv_cases').selectAll().where('id', '=', id).executeTakeFirst();

export const findPvCaseOfMention = (db: Q, mentionId: number): Promise<PvCaseRow | undefined> =>
  db.selectFrom('pv_cases').selectAll().where('mention_id', '=', mentionId).executeTakeFirst();

/** Opens the mention's case; null when it already has one (a mention is one case). */
export async function openPvCase(
  trx: Q,
  c: { mentionId: number; origin: PvCaseOrigin; openedBy: string; deadlineAt: Date; channel: string },
  now: Date,
): Promise<PvCaseRow | null> {
  const at = now.toISOString();
  const [row] = await OPEN_PV_CASE.run(trx, [c.mentionId, 'open' satisfies PvCaseStatus, c.origin, c.openedBy, at, c.deadlineAt.toISOString(), c.channel, 1, at]);
  return row ?? null;
}
/**
 * Written once: every possible adverse event a webhook brings opens its case in the webhook's
 * commit, and building this insert with Kysely's builder cost more than running it (bench profile).
 */
const OPEN_PV_CASE = prepared<PvCaseRow>(
  `insert into "pv_cases" ("mention_id", "status", "origin", "opened_by", "opened_at", "deadline_at", "pv_channel", "version", "updated_at")
   values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("mention_id") do nothing returning *`,
);

/** The PV message is in the channel: where, and when PV could first see it. Returns the case's version. */
export async function recordPvMessagePosted(trx: Q, caseId: number, channel: string, ts: string, now: Date): Promise<number | null> {
  const row = await trx
    .updateTable('pv_cases')
    .set({ pv_channel: channel, pv_ts: ts, pv_posted_at: now.toISOString() })
    .where('id', '=', caseId)
    .where('pv_ts', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

type Transition = Partial<Pick<PvCaseRow, 'status' | 'acknowledged_by' | 'acknowledged_at' | 'closed_by' | 'closed_at' | 'not_ae_reason' | 'safety_case_id'>>;

/** Applies a transition if the case is still as it was read; null when someone changed it first. */
async function transition(trx: Q, from: PvCaseRow, set: Transition, now: Date): Promise<PvCaseRow | null> {
  const row = await trx
    .updateTable('pv_cases')
    .set({ ...set, version: from.version + 1, updated_at: now.toISOString() })
    .where('id', '=', from.id)
    .where('version', '=', from.version)
    .where('status', '=', from.status)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Deciding implies having seen the case: the first decision also stands as the acknowledgement. */
const seenBy = (from: PvCaseRow, actor: string, now: Date): Transition =>
  from.acknowledged_at ? {} : { acknowledged_by: actor, acknowledged_at: now.toISOString() };

export const acknowledgePvCase = (trx: Q, from: PvCaseRow, actor: string, now: Date) =>
  transition(trx, from, { status: 'acknowledged', ...seenBy(from, actor, now) }, now);

export const closePvCaseAsNotAdverseEvent = (trx: Q, from: PvCaseRow, actor: string, reason: string, now: Date) =>
  transition(trx, from, { status: 'not_ae', ...seenBy(from, actor, now), closed_by: actor, closed_at: now.toISOString(), not_ae_reason: reason }, now);

export const markPvCaseReported = (trx: Q, from: PvCaseRow, actor: string, safetyCaseId: string, now: Date) =>
  transition(trx, from, { status: 'reported', ...seenBy(from, actor, now), closed_by: actor, closed_at: now.toISOString(), safety_case_id: safetyCaseId }, now);

/** Open cases past their deadline that have not been escalated, with who owns the rep's card. */
export function overduePvCases(db: Q, now: Date, limit: number) {
  return db
    .selectFrom('pv_cases as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .select(['c.id', 'c.mention_id', 'c.deadline_at', 'c.pv_channel', 'c.pv_ts', 'm.assignee', 'm.alert_channel', 'm.alert_ts', 'h.owner_slack_id'])
    .where('c.status', '=', 'open' satisfies PvCaseStatus)
    .where('c.escalated_at', 'is', null)
    .where('c.deadline_at', '<=', now.toISOString())
    // The escalation is a reply in the PV message's thread: it waits until that message exists.
    .where('c.pv_ts', 'is not', null)
    .orderBy('c.deadline_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}
export type OverduePvCase = Awaited<ReturnType<typeof overduePvCases>>[number];

/**
 * Claims a case's escalation: true for exactly one caller, ever (the condition on
 * escalated_at is the lock), and only while the case is still unacknowledged.
 */
export async function claimPvEscalation(trx: Q, caseId: number, now: Date): Promise<boolean> {
  const res = await trx
    .updateTable('pv_cases')
    .set((eb) => ({ escalated_at: now.toISOString(), version: eb('version', '+', 1), updated_at: now.toISOString() }))
    .where('id', '=', caseId)
    .where('status', '=', 'open' satisfies PvCaseStatus)
    .where('escalated_at', 'is', null)
    .where('deadline_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Cases opened in [since, until), with their mention, for the PV report. */
export function pvCasesOpenedBetween(db: Q, since: Date, until: Date | null) {
  let q = db
    .selectFrom('pv_cases as c')
    .innerJoin('mentions as m', 'm.id', 'c.mention_id')
    .select([
      'c.id',
      'c.mention_id',
      'c.status',
      'c.origin',
      'c.opened_at',
      'c.deadline_at',
      'c.pv_posted_at',
      'c.acknowledged_at',
      'c.acknowledged_by',
      'c.escalated_at',
      'c.closed_at',
      'c.safety_case_id',
      'c.not_ae_reason',
      'm.url',
      'm.author_handle',
      'm.received_at',
    ])
    .where('c.opened_at', '>=', since.toISOString())
    .orderBy('c.opened_at')
    .orderBy('c.id');
  if (until) q = q.where('c.opened_at', '<', until.toISOString());
  return q.execute();
}

/** For /metrics: PV cases nobody has acknowledged yet, and those of them past their deadline. */
export async function countOpenPvCases(db: Q, now: Date): Promise<{ open: number; pastDeadline: number }> {
  const row = await db
    .selectFrom('pv_cases')
    .select((eb) => [
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>(eb.case().when('deadline_at', '<=', now.toISOString()).then(1).else(0).end()).as('past'),
    ])
    .where('status', '=', 'open' satisfies PvCaseStatus)
    .executeTakeFirst();
  return { open: Number(row?.open ?? 0), pastDeadline: Number(row?.past ?? 0) };
}
