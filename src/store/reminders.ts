import type { Kysely, Transaction } from 'kysely';
import type { FollowUpPlan } from '../domain/reminder-rules';
import type { Database, ReminderRow } from './schema';
import { prepared } from './prepared';
import { DUE_REMINDER, IllegalTransition, movesTo, OPEN_REMINDER, REMINDER_TRANSITIONS, type MentionId, type ReminderId, type ReminderKind, type ReminderStatus, type SlackUserId } from './types';

/**
 * Reminders: every query and state change of the reminders table. A transition is conditional
 * on the state it leaves, so a rep's click racing the scheduler, another rep or another
 * instance changes a reminder once; the verbs say whether theirs was the change that happened.
 */

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The `limit` longest-due reminders with what is needed to route them. One query per due
 * status, each read in order off the (status, due_at) index: with `status in (…)` SQLite
 * had to join and sort every due row for each batch (30+ ms at 10 k due, quadratic over a tick).
 */
export async function dueBatch(db: Q, now: Date, limit: number) {
  const each = await Promise.all(DUE_REMINDER.map((status) => dueOfStatus(db, status, now, limit)));
  return each
    .flat()
    .sort((a, b) => (a.due_at < b.due_at ? -1 : a.due_at > b.due_at ? 1 : a.id - b.id))
    .slice(0, limit);
}

function dueOfStatus(db: Q, status: ReminderStatus, now: Date, limit: number) {
  return db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .leftJoin('rollups as ru', 'ru.id', 'm.rollup_id')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.due_at',
      'r.mention_id',
      'm.status as mention_status',
      'm.assignee',
      'm.email_drafted_by',
      'm.first_action_at',
      'm.alert_channel',
      'm.alert_ts',
      'm.rollup_id',
      'm.opened_as_card_by',
      'ru.channel as rollup_channel',
      'ru.ts as rollup_ts',
      'h.owner_slack_id',
      'r.recipient',
    ])
    .where('r.status', '=', status)
    .where('r.due_at', '<=', now.toISOString())
    .orderBy('r.due_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}
export type DueReminder = Awaited<ReturnType<typeof dueBatch>>[number];

type DueRead = Pick<DueReminder, 'id' | 'status' | 'due_at'>;

/** The scheduler takes a due reminder to send it (status queued); false when someone moved it first. */
export const claimDueReminder = (trx: Q, r: DueRead, now: Date): Promise<boolean> => transition(trx, r, { status: 'queued' }, now);

/** A due reminder that cannot be sent yet (outside the recipient's hours, nobody to send it to) is due again at `until`. */
export const deferDueReminder = (trx: Q, r: DueRead, until: Date, now: Date): Promise<boolean> => transition(trx, r, { due_at: until.toISOString() }, now);

/** A due reminder that no longer applies (the mention is done, the escalation was answered) is cancelled. */
export const cancelDueReminder = (trx: Q, r: DueRead, now: Date): Promise<boolean> => transition(trx, r, { status: 'cancelled' }, now);

/**
 * Moves a due reminder to a new state if nobody else did first (another instance, a rep's
 * snooze): the condition on its old status and due time is the claim.
 */
async function transition(
  trx: Q,
  r: Pick<DueReminder, 'id' | 'status' | 'due_at'>,
  set: { status?: ReminderStatus; due_at?: string },
  now: Date,
): Promise<boolean> {
  if (set.status && !REMINDER_TRANSITIONS[r.status].includes(set.status)) throw new IllegalTransition('reminder', r.id, r.status, set.status);
  const res = await trx
    .updateTable('reminders')
    .set((eb) => ({ ...set, attempts: eb('attempts', '+', set.status === 'queued' ? 1 : 0), updated_at: now.toISOString() }))
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .where('due_at', '=', r.due_at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const findReminder = (db: Q, id: ReminderId): Promise<ReminderRow | undefined> => db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * A rep's open follow-ups: those of alerts assigned to them (or unassigned with them as the
 * HCP's owner), and the outreach reminders they set for themselves (Remind me).
 */
export async function openFollowUpsFor(db: Q, user: string, limit: number) {
  const base = db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .where('r.status', 'in', OPEN_REMINDER)
    .where('m.status', '!=', 'done')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('r.kind', '=', 'follow_up'),
          eb.or([eb('m.assignee', '=', user), eb.and([eb('m.assignee', 'is', null), eb('h.owner_slack_id', '=', user)])]),
        ]),
        eb.and([eb('r.kind', '=', 'sphere_outreach'), eb('r.recipient', '=', user)]),
      ]),
    );
  const rows = await base
    .select([
      'r.id',
      'r.kind',
      'r.mention_id',
      'r.due_at',
      'r.status',
      'r.instruction',
      'm.author_handle',
      'm.author_name',
      'm.text',
      'm.url',
      'm.sentiment',
      'h.name as hcp_name',
      'h.target',
    ])
    .orderBy('r.due_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return { rows, total: Number(total?.n ?? 0) };
}

/** Schedules a reminder for a mention: the playbook's follow-up, the response SLA, or a rep's own (snoozed). */
export async function scheduleReminder(
  db: Q,
  r: { mentionId: MentionId; kind: ReminderKind; dueAt: string; instruction: string; status?: 'pending' | 'snoozed' },
  now: Date,
): Promise<ReminderId> {
  const [row] = await SCHEDULE_REMINDER.run(db, [r.mentionId, r.kind, r.dueAt, r.status ?? 'pending', r.instruction, 0, now.toISOString(), now.toISOString()]);
  if (!row) throw new Error(`the reminder of mention ${r.mentionId} was not stored`);
  return row.id;
}
// One or two per webhook mention: written once rather than built per call (prepared.ts).
const SCHEDULE_REMINDER = prepared<{ id: ReminderId }>(
  'insert into "reminders" ("mention_id", "kind", "due_at", "status", "instruction", "attempts", "created_at", "updated_at") values (?, ?, ?, ?, ?, ?, ?, ?) returning "id"',
);

/**
 * A rep's own reminder to reach out to a colleague of the poster, sent to that rep. One per
 * `key`: a second click finds the first reminder (created false) and changes nothing.
 */
export async function scheduleOutreachReminder(
  db: Q,
  r: { mentionId: MentionId; recipient: SlackUserId; dueAt: string; instruction: string; key: string },
  now: Date,
): Promise<{ id: ReminderId; created: boolean }> {
  const inserted = await db
    .insertInto('reminders')
    .values({
      mention_id: r.mentionId,
      kind: 'sphere_outreach',
      due_at: r.dueAt,
      status: 'pending',
      instruction: r.instruction,
      attempts: 0,
      recipient: r.recipient,
      dedupe_key: r.key,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db.selectFrom('reminders').select('id').where('dedupe_key', '=', r.key).executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** The mention's follow-ups that still ask something of a rep, soonest first. */
export const openFollowUpsOf = (db: Q, mentionId: MentionId): Promise<Pick<ReminderRow, 'id' | 'status' | 'due_at'>[]> =>
  db
    .selectFrom('reminders')
    .select(['id', 'status', 'due_at'])
    .where('mention_id', '=', mentionId)
    .where('kind', '=', 'follow_up')
    .where('status', 'in', OPEN_REMINDER)
    .orderBy('due_at')
    .orderBy('id')
    .execute();

/** The mention's follow-up as its card shows it: the latest one, whatever its state. */
export const latestFollowUpOf = (db: Q, mentionId: MentionId): Promise<Pick<ReminderRow, 'due_at' | 'status'> | undefined> =>
  db
    .selectFrom('reminders')
    .select(['due_at', 'status'])
    .where('mention_id', '=', mentionId)
    .where('kind', '=', 'follow_up')
    .orderBy('id', 'desc')
    .executeTakeFirst();

/** Cancels every open reminder of a mention (it was handled): returns how many were open. */
export async function cancelOpenRemindersOf(db: Q, mentionId: MentionId, now: Date): Promise<number> {
  const res = await db
    .updateTable('reminders')
    .set({ status: 'cancelled', updated_at: now.toISOString() })
    .where('mention_id', '=', mentionId)
    .where('status', 'in', movesTo('cancelled'))
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export type ReplanOutcome = { followUp: string | null | 'kept (snoozed)' };

/**
 * Replaces the mention's open follow-up with `plan` (null: none is wanted any more). A rep's
 * snooze is a deliberate choice and is kept, plan or not.
 */
export async function replaceFollowUp(db: Q, mentionId: MentionId, plan: FollowUpPlan | null, now: Date): Promise<ReplanOutcome> {
  const open = await openFollowUpsOf(db, mentionId);
  if (open.some((r) => r.status === 'snoozed')) return { followUp: 'kept (snoozed)' };
  if (open.length) {
    await db
      .updateTable('reminders')
      .set({ status: 'cancelled', updated_at: now.toISOString() })
      .where('id', 'in', open.map((r) => r.id))
      .where('status', 'in', movesTo('cancelled'))
      .execute();
  }
  if (!plan) return { followUp: null };
  await scheduleReminder(db, { mentionId, kind: plan.kind, dueAt: plan.dueAt, instruction: plan.instruction }, now);
  return { followUp: plan.dueAt };
}

/**
 * A rep moves an open reminder to `until`. False when it is no longer open (completed,
 * cancelled): nothing changed. It is due again at `until` even if it was already queued or
 * delivered, and a claim of the old due time no longer matches.
 */
export async function snoozeFollowUp(db: Q, reminderId: ReminderId, until: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('reminders')
    .set({ status: 'snoozed', due_at: until, locked_until: null, updated_at: now.toISOString() })
    .where('id', '=', reminderId)
    .where('status', 'in', movesTo('snoozed'))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** A rep completes an open reminder. False when it is no longer open: completed once, by one rep. */
export async function completeFollowUp(db: Q, reminderId: ReminderId, by: SlackUserId, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('reminders')
    .set({ status: 'done', completed_by: by, completed_at: now.toISOString(), locked_until: null, updated_at: now.toISOString() })
    .where('id', '=', reminderId)
    .where('status', 'in', movesTo('done'))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** One follow-up with its mention and HCP, as its reminder message shows it. */
export const findFollowUp = (db: Q, reminderId: ReminderId) =>
  db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .select([
      'r.id',
      'r.kind',
      'r.mention_id',
      'r.due_at',
      'r.status',
      'r.instruction',
      'r.completed_by',
      'r.completed_at',
      'm.author_handle',
      'm.author_name',
      'm.text',
      'm.url',
      'm.sentiment',
      'h.name as hcp_name',
      'h.target',
    ])
    .where('r.id', '=', reminderId)
    .executeTakeFirst();

/** Reminders the scheduler should have claimed by `now`, and those more than an hour late (for /metrics). */
export async function countDueReminders(db: Q, now: Date): Promise<{ due: number; overdue: number }> {
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const row = await db
    .selectFrom('reminders')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(eb.case().when('due_at', '<', hourAgo).then(1).else(0).end()).as('overdue'),
    ])
    .where('status', 'in', DUE_REMINDER)
    .where('due_at', '<=', now.toISOString())
    .executeTakeFirst();
  return { due: Number(row?.due ?? 0), overdue: Number(row?.overdue ?? 0) };
}

/** A reminder's message is on Slack: an escalation is said once; a follow-up stays open until a rep completes it. */
export async function recordReminderDelivered(db: Q, reminderId: ReminderId, channel: string, ts: string, now: Date): Promise<void> {
  await db
    .updateTable('reminders')
    .set((eb) => ({
      status: eb.case().when('kind', '=', 'response_sla').then<ReminderStatus>('done').else<ReminderStatus>('delivered').end(),
      delivered_at: now.toISOString(),
      delivered_channel: channel,
      delivered_ts: ts,
      updated_at: now.toISOString(),
    }))
    .where('id', '=', reminderId)
    .where('status', 'in', movesTo('delivered'))
    .execute();
}
