/**
 * A medical (off-label) question referred to Medical Information (CONTRACT.md,
 * MEDICAL_CHANNEL_ID): only Medical may answer it, so the rep refers it instead of drafting an
 * email. A referral's life: referred → answered.
 */
export const REFERRAL_STATUSES = ['referred', 'answered'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** What the card says when the classifier found no summary (rows logged before it existed). */
export const UNKNOWN_QUESTION = 'Medical question';

export interface ReferralView {
  referralId: number;
  status: ReferralStatus;
  question: string;
  referredBy: string;
  referredAt: string;
  postedAt: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface ReferralMessageView {
  referral: ReferralView;
  post: {
    mentionId: number;
    source: string;
    url: string | null;
    author: { handle: string; name: string | null };
    text: string;
    textFromReporter: boolean;
    postedAt: string;
    product: string | null;
  };
}

/** How a rep refers a question when the bot has no Medical channel to send it to. */
export const HOW_TO_REFER_WITHOUT_CHANNEL =
  'This post asks a medical question: only Medical Information may answer it. No Medical Information channel is set up for HCP Pulse (MEDICAL_CHANNEL_ID), so send the post link to Medical Information through your company\'s usual medical-inquiry route, do not answer it yourself, and mark the card done as "handled by Medical" once it is passed on.';

export interface ReferralReportRow {
  referralId: number;
  mentionId: number;
  url: string | null;
  author: string;
  question: string;
  status: ReferralStatus;
  referredBy: string;
  referredAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
  timeToAnswerSeconds: number | null;
}

export function referralReportRow(r: {
  referralId: number;
  mentionId: number;
  url: string | null;
  authorHandle: string;
  question: string;
  status: ReferralStatus;
  referredBy: string;
  referredAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
}): ReferralReportRow {
  return {
    referralId: r.referralId,
    mentionId: r.mentionId,
    url: r.url,
    author: `@${r.authorHandle}`,
    question: r.question,
    status: r.status,
    referredBy: r.referredBy,
    referredAt: r.referredAt,
    answeredBy: r.answeredBy,
    answeredAt: r.answeredAt,
    timeToAnswerSeconds: r.answeredAt ? Math.max(0, Math.round((Date.parse(r.answeredAt) - Date.parse(r.referredAt)) / 1000)) : null,
  };
}
