import type { Kysely, Transaction } from 'kysely';
import type { WebClient } from '@slack/web-api';
import type { FollowUpView } from '../domain/follow-up-view';
import type { Sentiment } from '../domain/mention';
import { snoozeDays, type SnoozeChoice } from '../domain/rep-actions';
import { recordAudit } from '../store/audit';
import { queueCardRefreshForReminder, queueReminderUpdate } from '../store/outbox';
import { findMention } from '../store/mentions';
import { completeFollowUp, findFollowUp, findReminder, openFollowUpsFor, snoozeFollowUp } from '../store/reminders';
import type { ReminderRow } from '../store/schema';
import { isOpenReminder, type ReminderId, type ReminderKind, type ReminderStatus } from '../store/types';
import type { Database } from '../store/schema';
import { ActionRefused, queueThreadLine } from './card-actions';
import { publishDesk } from './desk';
import type { CardEvent } from '../domain/card-events';
import type { ServiceContext } from './context';

export class ReminderNotFound extends Error {}

export async function loadFollowUpView(db: Kysely<Database>, reminderId: ReminderId): Promise<FollowUpView | null> {
  const r = await findFollowUp(db, reminderId);
  return r ? toView(r) : null;
}

interface FollowUpRow {
  id: number;
  kind: ReminderKind;
  mention_id: number;
  due_at: string;
  status: ReminderStatus;
  instruction: string;
  author_handle: string;
  author_name: string | null;
  hcp_name: string | null;
  target: number | null;
  text: string;
  url: string | null;
  sentiment: string;
  completed_by?: string | null;
  completed_at?: string | null;
}

const toView = (r: FollowUpRow): FollowUpView => ({
  reminderId: r.id,
  // Lists and reminder messages hold follow-ups and outreach (an SLA escalation is a thread reply).
  kind: r.kind === 'sphere_outreach' ? 'sphere_outreach' : 'follow_up',
  mentionId: r.mention_id,
  dueAt: r.due_at,
  status: r.status,
  instruction: r.instruction,
  author: { handle: r.author_handle, name: r.author_name ?? r.hcp_name },
  isTarget: r.target === 1,
  text: r.text,
  url: r.url,
  sentiment: r.sentiment as Sentiment,
  completedBy: r.completed_by ?? null,
  completedAt: r.completed_at ?? null,
});

export async function listFollowUps(ctx: ServiceContext, user: string, limit: number): Promise<{ items: FollowUpView[]; total: number }> {
  const { rows, total } = await openFollowUpsFor(ctx.db.kysely, user, limit);
  return { total, items: rows.map(toView) };
}

/**
 * A rep snoozes or completes a follow-up (from its reminder message, /hcp followups or App
 * Home): one state change, an audit entry, and the reminder message and alert card updated.
 */
async function changeReminder(
  ctx: ServiceContext,
  reminderId: ReminderId,
  actor: string,
  action: string,
  /** Applies the change through a store verb: what changed, or null when the reminder was no longer open. */
  apply: (trx: Transaction<Database>, r: ReminderRow, now: Date) => Promise<Record<string, string> | null>,
) {
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const r = await findReminder(trx, reminderId);
    if (!r) throw new ReminderNotFound(`reminder ${reminderId} no longer exists`);
    if (!isOpenReminder(r.status)) throw refusal(r);
    const set = await apply(trx, r, now);
    // Someone completed or cancelled it between our read and our write (another instance).
    if (!set) throw refusal((await findReminder(trx, reminderId)) ?? r);
    await recordAudit(trx, { actor, action, mentionId: r.mention_id, before: { reminderId: r.id, status: r.status, due_at: r.due_at }, after: { reminderId: r.id, ...set } }, now);
    if (r.delivered_channel && r.delivered_ts) {
      await queueReminderUpdate(trx, { reminderId: r.id, channel: r.delivered_channel, ts: r.delivered_ts }, now);
    }
    const m = await findMention(trx, r.mention_id);
    if (!m) throw new ReminderNotFound(`the mention of reminder ${reminderId} no longer exists`);
    if (m.alert_channel && m.alert_ts) {
      await queueCardRefreshForReminder(trx, { mentionId: m.id, reminderId: r.id, channel: m.alert_channel, ts: m.alert_ts }, now);
    }
    const event: CardEvent = set.status === 'done' ? { kind: 'follow_up_completed', actor } : { kind: 'snoozed', actor, until: set.due_at ?? now.toISOString() };
    await queueThreadLine(trx, m, event, `r${r.id}:${now.getTime()}`, now);
    return set;
  });
  ctx.kickOutbox();
  return result;
}

const refusal = (r: Pick<ReminderRow, 'status' | 'completed_by'>) =>
  new ActionRefused(r.status === 'done' ? `This follow-up was already completed by <@${r.completed_by}>.` : 'This follow-up is no longer needed.');

/** Snoozes a follow-up by a preset, or until a date and time the rep picked (in the future). */
export function snoozeReminder(ctx: ServiceContext, reminderId: ReminderId, actor: string, choice: SnoozeChoice | { until: Date }) {
  const days = typeof choice === 'string' ? snoozeDays(choice) : undefined;
  if (typeof choice === 'string' && days === undefined) throw new ActionRefused(`Unknown snooze choice "${choice}".`);
  if (typeof choice !== 'string' && !(choice.until.getTime() > ctx.now().getTime())) throw new ActionRefused('Choose a time in the future to snooze until.');
  return changeReminder(ctx, reminderId, actor, 'reminder.snoozed', async (trx, r, now) => {
    const dueAt = (typeof choice === 'string' ? new Date(now.getTime() + days! * 86_400_000) : choice.until).toISOString();
    return (await snoozeFollowUp(trx, r.id, dueAt, now)) ? { status: 'snoozed', due_at: dueAt } : null;
  });
}

export function completeReminder(ctx: ServiceContext, reminderId: ReminderId, actor: string) {
  return changeReminder(ctx, reminderId, actor, 'reminder.completed', async (trx, r, now) =>
    (await completeFollowUp(trx, r.id, actor, now)) ? { status: 'done', completed_by: actor, completed_at: now.toISOString() } : null,
  );
}

/** Republishes a rep's App Home; best-effort, as the Home is refreshed on every visit too. */
export async function publishHome(ctx: ServiceContext, client: WebClient, user: string): Promise<void> {
  // App Home is the rep's desk (src/services/desk.ts).
  await publishDesk(ctx, client, user);
}
