import type { Sentiment } from './mention';
import { PLAYBOOK } from './playbook';

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

export function planFollowUp(
  input: { sentiment: Sentiment; postedAt: string; isTarget: boolean },
  days: FollowUpDays,
  now: Date,
): FollowUpPlan | null {
  if (input.sentiment !== 'negative' && !input.isTarget) return null;
  const due = new Date(Date.parse(input.postedAt) + days[input.sentiment] * DAY_MS);
  // A due time already past is due at once, not lost.
  const dueAt = due.getTime() < now.getTime() ? now : due;
  return { kind: 'follow_up', dueAt: dueAt.toISOString(), instruction: PLAYBOOK[input.sentiment].followUp };
}
