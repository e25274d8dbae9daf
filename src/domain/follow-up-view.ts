import type { Sentiment } from './mention';

/** A follow-up reminder as the reminder message, /hcp followups and App Home show it. */
export interface FollowUpView {
  reminderId: number;
  mentionId: number;
  dueAt: string;
  status: string;
  instruction: string;
  author: { handle: string; name: string | null };
  isTarget: boolean;
  text: string;
  url: string | null;
  sentiment: Sentiment;
  completedBy: string | null;
  completedAt: string | null;
}
