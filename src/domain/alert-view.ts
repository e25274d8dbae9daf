import type { Channel, Sentiment } from './mention';
import type { AdverseEventResult } from './adverse-event';
import type { PvCaseView } from './pv-case';
import type { ReferralView } from './medical-referral';
import type { Classification } from './classification';
import type { Advice } from './advice';
import type { ReminderStatus } from './statuses';

/**
 * Everything an alert card shows, gathered from the store. The card builders in blocks/ are
 * pure functions of this, so the card always renders the mention's current state.
 */
export interface AlertView {
  mentionId: number;
  /** The mention's version this view was read at (a card rendered from it may go stale). */
  version: number;
  source: string;
  externalId: string;
  url: string | null;
  author: { handle: string; name: string | null };
  text: string;
  textFromReporter: boolean;
  postedAt: string;
  product: string | null;
  via: Channel;
  reportedBy: string | null;
  /** What the listening tool said of the post, when it said anything. */
  tool?: { sentiment: string | null; query: string | null } | null;
  sentiment: { label: Sentiment; score: number; cues: string[] };
  /** reportBy: the instant PV must have it by (ISO 8601), on the business-day clock. */
  adverseEvent: { possible: boolean; cues: AdverseEventResult['cues']; reportBy: string | null };
  /** The classifier's whole answer (null for mentions logged before it was stored). */
  classification: Classification | null;
  /** The roster's entry for the author; null when the author is not in the roster. */
  hcp: {
    name: string | null;
    isTarget: boolean;
    specialty: string | null;
    institution: string | null;
    ownerSlackId: string | null;
  } | null;
  /** The playbook's private actions for the sentiment, with the HCP's name filled in. */
  actions: string[];
  /** The action that fits this post's topic, led with above the playbook (null: playbook only). */
  advice: Advice | null;
  followUp: { dueAt: string; status: ReminderStatus } | null;
  sphere: { handle: string; name: string | null; why: string }[];
  /** The author's other mentions in the last 12 months (not counting this one). */
  history: MentionHistory | null;
  status: {
    state: 'open' | 'done';
    assignee: string | null;
    doneBy: string | null;
    doneAt: string | null;
    doneReason: string | null;
    emailDraftedBy: string | null;
    emailDraftedAt: string | null;
    /** When a rep first worked the alert (assigned, drafted, snoozed, done); null: nobody has. */
    firstActionAt: string | null;
    reopenedBy: string | null;
    reopenedAt: string | null;
  };
  /** The mention's PV case, when it has one. */
  pv: PvCaseView | null;
  /** What the post asks when it is a medical question, and where its referral stands. */
  medical: { question: string; referral: ReferralView | null; channelConfigured: boolean } | null;
}

export interface MentionHistory {
  total: number;
  byStance: Record<Sentiment, number>;
  last: { mentionId: number; postedAt: string; sentiment: Sentiment; link: string | null } | null;
}

/** The name the copy uses for the HCP: roster name, else the post's author name, else the handle. */
export const hcpNameOf = (v: Pick<AlertView, 'hcp' | 'author'>): string => v.hcp?.name ?? v.author.name ?? `@${v.author.handle}`;
