import type { Kysely, Transaction } from 'kysely';
import { DUE_REMINDER, OPEN_REMINDER } from '../domain/reminder-rules';
import type { Database } from './schema';

type Q = Kysely<Database> | Transaction<Database>;

/** A due reminder with what is needed to route it. */
export async function dueBatch(db: Q, now: Date, limit: number) {
  return db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .select([
      'r.id',
      'r.kind',
      'r.status',
      'r.due_at',
      'r.mention_id',
      'm.status as mention_status',
      'm.assignee',
      'm.email_drafted_by',
      'm.alert_channel',
      'm.alert_ts',
      'h.owner_slack_id',
    ])
    .where('r.status', 'in', DUE_REMINDER)
    .where('r.due_at', '<=', now.toISOString())
    .orderBy('r.due_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}
export type DueReminder = Awaited<ReturnType<typeof dueBatch>>[number];

/**
 * Moves a due reminder to a new state if nobody else did first (another instance, a rep's
 * snooze): the condition on its old status and due time is the claim.
 */
export async function transition(
  trx: Q,
  r: Pick<DueReminder, 'id' | 'status' | 'due_at'>,
  set: { status?: string; due_at?: string },
  now: Date,
): Promise<boolean> {
  const res = await trx
    .updateTable('reminders')
    .set((eb) => ({ ...set, attempts: eb('attempts', '+', set.status === 'queued' ? 1 : 0), updated_at: now.toISOString() }))
    .where('id', '=', r.id)
    .where('status', '=', r.status)
    .where('due_at', '=', r.due_at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export const findReminder = (db: Q, id: number) => db.selectFrom('reminders').selectAll().where('id', '=', id).executeTakeFirst();

/** A rep's open follow-ups: assigned to them, or unassigned with them as the HCP's owner. */
export async function openFollowUpsFor(db: Q, user: string, limit: number) {
  const base = db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .where('r.kind', '=', 'follow_up')
    .where('r.status', 'in', OPEN_REMINDER)
    .where('m.status', '!=', 'done')
    .where((eb) => eb.or([eb('m.assignee', '=', user), eb.and([eb('m.assignee', 'is', null), eb('h.owner_slack_id', '=', user)])]));
  const rows = await base
    .select([
      'r.id',
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

/** A reminder's message is on Slack: an escalation is said once; a follow-up stays open until a rep completes it. */
export async function recordReminderDelivered(db: Q, reminderId: number, channel: string, ts: string, now: Date): Promise<void> {
  await db
    .updateTable('reminders')
    .set((eb) => ({
      status: eb.case().when('kind', '=', 'response_sla').then('done').else('delivered').end(),
      delivered_at: now.toISOString(),
      delivered_channel: channel,
      delivered_ts: ts,
      updated_at: now.toISOString(),
    }))
    .where('id', '=', reminderId)
    .where('status', '=', 'queued')
    .execute();
}
