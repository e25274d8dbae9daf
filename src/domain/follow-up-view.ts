import type { Sentiment } from './mention';
import type { ReminderStatus } from './statuses';

/** A follow-up reminder as the reminder message, /hcp followups and App Home show it. */
export interface FollowUpView {
  reminderId: number;
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
