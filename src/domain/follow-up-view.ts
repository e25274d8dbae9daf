import type { Sentiment } from './mention';
import type { ReminderKind, ReminderStatus } from './statuses';

/**
 * A follow-up reminder as the reminder message, /hcp followups and App Home show it: the
 * playbook's follow-up of an alert, or a rep's own outreach reminder (sphere_outreach) to a
 * colleague of the post's author.
 */
export interface FollowUpView {
  reminderId: number;
  kind: Exclude<ReminderKind, 'response_sla'>;
  mentionId: number;
  dueAt: string;
  status: ReminderStatus;
  instruction: string;
  author: { handle: string; name: string | null };
  isTarget: boolean;
  text: string;
  url: string | null;
  sentiment: Sentiment;
  completedBy: string | null;
  completedAt: string | null;
}
