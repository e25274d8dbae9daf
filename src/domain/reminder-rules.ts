import type { Sentiment } from './mention';
import type { MentionStatus } from './statuses';
import { PLAYBOOK, withName } from './playbook';

/**
 * Which mentions get a follow-up reminder, when it falls due and what it asks for
 * (CONTRACT.md, "Follow-up reminders"). Pure: the clock is passed in.
 */
export interface FollowUpDays {
  negative: number;
  neutral: number;
  positive: number;
}

export interface FollowUpPlan {
  kind: 'follow_up';
  dueAt: string;
  instruction: string;
}

const DAY_MS = 86_400_000;

/* A reminder's states and their transitions belong to the store: src/store/types.ts. */

export function planFollowUp(
  input: { sentiment: Sentiment; postedAt: string; isTarget: boolean; hcpName?: string | null },
  days: FollowUpDays,
  now: Date,
): FollowUpPlan | null {
  if (input.sentiment !== 'negative' && !input.isTarget) return null;
  const due = new Date(Date.parse(input.postedAt) + days[input.sentiment] * DAY_MS);
  // A due time already past is due at once, not lost.
  const dueAt = due.getTime() < now.getTime() ? now : due;
  return { kind: 'follow_up', dueAt: dueAt.toISOString(), instruction: withName(PLAYBOOK[input.sentiment].followUp, input.hcpName) };
}

/**
 * The response SLA: an alert nobody acted on (assigned, drafted, done) by then gets one
 * escalation in its thread. "The quicker, the better."
 */
export function planResponseSla(receivedAt: Date, slaHours: number): { kind: 'response_sla'; dueAt: string; instruction: string } {
  return {
    kind: 'response_sla',
    dueAt: new Date(receivedAt.getTime() + slaHours * 3_600_000).toISOString(),
    instruction: 'Nobody has acted on this alert yet. Assign it or draft the email: always respond, privately, and the quicker the better.',
  };
}

export type ReminderRecipient = { kind: 'dm'; user: string } | { kind: 'thread'; channel: string; ts: string } | { kind: 'none' };

/**
 * Who hears of a due follow-up: the assignee, else the roster owner, else the alert's thread.
 * A rep's own outreach reminder goes to that rep alone, never to the thread: it names a
 * colleague of the poster, and outreach is private. A post folded into a burst roll-up has no
 * card of its own (unless a rep opened it): its thread is the roll-up's.
 */
export function reminderRecipient(input: {
  reminderKind: string;
  recipient?: string | null;
  assignee: string | null;
  ownerSlackId: string | null;
  alertChannel: string | null;
  alertTs: string | null;
  rollupChannel?: string | null;
  rollupTs?: string | null;
}): ReminderRecipient {
  const thread: ReminderRecipient =
    input.alertChannel && input.alertTs
      ? { kind: 'thread', channel: input.alertChannel, ts: input.alertTs }
      : input.rollupChannel && input.rollupTs
        ? { kind: 'thread', channel: input.rollupChannel, ts: input.rollupTs }
        : { kind: 'none' };
  // An escalation belongs where the team sees it: the alert's own thread.
  if (input.reminderKind === 'response_sla') return thread;
  if (input.reminderKind === 'sphere_outreach') return input.recipient ? { kind: 'dm', user: input.recipient } : { kind: 'none' };
  if (input.assignee) return { kind: 'dm', user: input.assignee };
  if (input.ownerSlackId) return { kind: 'dm', user: input.ownerSlackId };
  return thread;
}

/**
 * Whether an escalation still applies when it falls due: only if nobody has acted. Being
 * assigned by the roster (the HCP's owner) is not acting: the owner is escalated too. A post
 * folded into a burst roll-up, whose card nobody opened, is not an alert waiting for a
 * response: it was summarised as low priority, so it is not escalated (its follow-up stays).
 */
export const slaStillApplies = (m: {
  status: MentionStatus;
  first_action_at: string | null;
  email_drafted_by: string | null;
  rollup_id?: number | null;
  opened_as_card_by?: string | null;
}): boolean => m.status !== 'done' && !m.first_action_at && !m.email_drafted_by && !(m.rollup_id != null && !m.opened_as_card_by);
