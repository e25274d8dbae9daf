import type { Transaction } from 'kysely';
import { OPEN_REMINDER, planFollowUp, type FollowUpDays } from '../domain/reminder-rules';
import type { Sentiment } from '../domain/mention';
import type { Database, MentionRow } from '../store/schema';

/**
 * Recomputes a mention's follow-up from the playbook after its sentiment or its author's
 * target flag changed. A rep's snooze is a deliberate choice and is kept.
 */
export async function replanFollowUp(
  trx: Transaction<Database>,
  m: Pick<MentionRow, 'id' | 'sentiment' | 'posted_at' | 'status'>,
  isTarget: boolean,
  days: FollowUpDays,
  now: Date,
  hcpName?: string | null,
): Promise<{ followUp: string | null | 'kept (snoozed)' }> {
  const open = await trx
    .selectFrom('reminders')
    .select(['id', 'status', 'due_at'])
    .where('mention_id', '=', m.id)
    .where('kind', '=', 'follow_up')
    .where('status', 'in', OPEN_REMINDER)
    .execute();
  if (open.some((r) => r.status === 'snoozed')) return { followUp: 'kept (snoozed)' };
  if (open.length) {
    await trx.updateTable('reminders').set({ status: 'cancelled', updated_at: now.toISOString() }).where('id', 'in', open.map((r) => r.id)).execute();
  }
  const plan = m.status === 'done' ? null : planFollowUp({ sentiment: m.sentiment as Sentiment, postedAt: m.posted_at, isTarget, hcpName }, days, now);
  if (!plan) return { followUp: null };
  await trx
    .insertInto('reminders')
    .values({ mention_id: m.id, kind: plan.kind, due_at: plan.dueAt, status: 'pending', instruction: plan.instruction, attempts: 0, created_at: now.toISOString(), updated_at: now.toISOString() })
    .execute();
  return { followUp: plan.dueAt };
}
