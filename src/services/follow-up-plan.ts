import type { Transaction } from 'kysely';
import { planFollowUp, type FollowUpDays } from '../domain/reminder-rules';
import type { Sentiment } from '../domain/mention';
import { replaceFollowUp, type ReplanOutcome } from '../store/reminders';
import type { Database, MentionRow } from '../store/schema';

/**
 * Recomputes a mention's follow-up from the playbook after its sentiment or its author's
 * target flag changed. A rep's snooze is a deliberate choice and is kept (the store's rule).
 */
export async function replanFollowUp(
  trx: Transaction<Database>,
  m: Pick<MentionRow, 'id' | 'sentiment' | 'posted_at' | 'status'>,
  isTarget: boolean,
  days: FollowUpDays,
  now: Date,
  hcpName?: string | null,
): Promise<ReplanOutcome> {
  const plan = m.status === 'done' ? null : planFollowUp({ sentiment: m.sentiment as Sentiment, postedAt: m.posted_at, isTarget, hcpName }, days, now);
  return replaceFollowUp(trx, m.id, plan, now);
}
