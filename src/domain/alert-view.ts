import type { Channel, Sentiment } from './mention';
import type { AdverseEventResult } from './adverse-event';
import type { PvCaseView } from './pv-case';
import type { ReferralView } from './medical-referral';

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
  hcp: { name: string | null; isTarget: boolean; specialty: string | null; institution: string | null } | null;
  actions: string[];
  followUp: { dueAt: string; status: string } | null;
  sphere: { handle: string; name: string | null; why: string }[];
  status: {
    state: 'open' | 'done';
    assignee: string | null;
    doneBy: string | null;
    doneAt: string | null;
    doneReason: string | null;
    emailDraftedBy: string | null;
  };
  /** The mention's PV case, when it has one. */
  pv: PvCaseView | null;
  /** What the post asks when it is a medical question, and where its referral stands. */
  medical: { question: string; referral: ReferralView | null; channelConfigured: boolean } | null;
}
