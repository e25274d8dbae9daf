import type { AlertView } from './alert-view';
import type { Sentiment } from './mention';

/**
 * What App Home and /hcp who show, gathered by src/services/desk.ts and rendered by the pure
 * builders in blocks/home.ts and blocks/hcp-who.ts.
 */
/**
 * Where a post is in Slack: its own card, or, for a post folded into a burst's roll-up, its
 * line in the roll-up's thread (`inRollup`). Null while neither is posted (or Slack cannot link it).
 */
export interface PostLink {
  url: string;
  inRollup: boolean;
}

export interface DeskAlert {
  receivedAt: string;
  cardLink: PostLink | null;
  /**
   * The alert as its card renders it: App Home offers the card's own controls and status
   * lines from it (Refer to Medical Information for a medical question, PV's status), so the
   * two never disagree.
   */
  view: AlertView;
}

export interface TeamView {
  openByRep: { rep: string | null; count: number }[];
  overdueByRep: { rep: string | null; count: number }[];
  slaBreaches: { mentionId: number; author: string; receivedAt: string; cardLink: PostLink | null }[];
  /** This week's mentions (since Monday 00:00 UTC), by product and stance. */
  week: { since: string; rows: { product: string | null; counts: Record<Sentiment, number> }[] };
}

export interface HcpProfile {
  handle: string;
  roster: {
    name: string | null;
    specialty: string | null;
    institution: string | null;
    email: string | null;
    npi: string | null;
    isTarget: boolean;
    ownerSlackId: string | null;
    channelId: string | null;
  } | null;
  /** The name the mentions carried, when the roster has none. */
  authorName: string | null;
  timeline: { mentionId: number; postedAt: string; sentiment: Sentiment; text: string; status: string; url: string | null; cardLink: PostLink | null }[];
  total: number;
}

/** Monday 00:00 UTC of the week holding `now`: "this week" for the team view. */
export function startOfWeek(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000);
}
