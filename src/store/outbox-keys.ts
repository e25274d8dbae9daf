/**
 * The outbox's vocabulary in one place: which effects exist, what state an entry is in, how
 * urgent it is, and the dedupe key of each effect. A key names the effect, so enqueueing the
 * same effect twice (a retried transaction, a Slack retry, a second instance) is a no-op.
 *
 * Adding an effect kind (e.g. a PV case message):
 *   1. add its name to OUTBOX_KINDS and its payload to `outboxPayloadSchema` (outbox.ts);
 *   2. add its key builder here (keep the prefix unique: keys of deployed databases never change);
 *   3. say what it does on Slack in `perform` (src/delivery/effects.ts) and what is recorded
 *      when it has been delivered in `delivered` (same file);
 *   4. `laneOf` decides its lane: anything that posts a new message is paced per channel.
 */
export const OUTBOX_KINDS = [
  'alert_card', 'card_update', 'intake_reply', 'reminder', 'reminder_update', 'dm', 'thread_line',
  'pv_case', 'pv_case_update', 'pv_escalation', 'medical_referral', 'medical_referral_update',
  'rollup', 'rollup_update', 'rollup_page', 'rollup_page_update',
] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

/**
 * pending → sent | skipped (no longer wanted) | failed (Slack refused it for good) | folded (a
 * low-priority card listed in a burst roll-up instead: store/rollups.ts); folded → pending
 * when a rep asks for the full card (Open as card). waiting_card → pending: a thread line for a
 * card Slack may already show but whose ts is not recorded yet, let go when it is.
 */
export const OUTBOX_STATUS = { pending: 'pending', sent: 'sent', skipped: 'skipped', failed: 'failed', folded: 'folded', waitingCard: 'waiting_card' } as const;
export type OutboxStatus = (typeof OUTBOX_STATUS)[keyof typeof OUTBOX_STATUS];

/**
 * Two lanes: `post` (a new message, which Slack allows about once per second per channel, so
 * it is paced per channel) and `update` (chat.update of a message already posted: never queued
 * behind a channel's new posts).
 */
export type OutboxLane = 'post' | 'update';
export const UPDATE_KINDS: readonly OutboxKind[] = ['card_update', 'reminder_update', 'pv_case_update', 'medical_referral_update', 'rollup_update', 'rollup_page_update'];
export const laneOf = (kind: OutboxKind): OutboxLane => (UPDATE_KINDS.includes(kind) ? 'update' : 'post');

/**
 * Urgency within a channel's queue: lower goes first. A possible adverse event (someone must
 * report it within a business day), then a medical question, then a negative post by a target
 * HCP; a rep's own message (DM, thread reply, reminder, a card opened from a roll-up), then a
 * burst's roll-up and its thread pages, before the routine cards. Only `routine` cards fold.
 */
export const RANK = { adverseEvent: 0, medicalQuestion: 1, negativeTarget: 2, rep: 3, rollup: 4, routine: 5 } as const;
export type Rank = (typeof RANK)[keyof typeof RANK];

export function rankOfMention(m: { adverseEvent: boolean; medicalQuestion: boolean; sentiment: string; isTarget: boolean }): Rank {
  if (m.adverseEvent) return RANK.adverseEvent;
  if (m.medicalQuestion) return RANK.medicalQuestion;
  if (m.sentiment === 'negative' && m.isTarget) return RANK.negativeTarget;
  return RANK.routine;
}

/** Dedupe keys. The formats are those of databases already deployed: never change one. */
export const outboxKey = {
  alertCard: (mentionId: number, role: 'alert' | 'pv') => `card:${role}:${mentionId}`,
  /** One refresh per mention version: a rep's action bumps the version. */
  cardUpdate: (mentionId: number, role: 'alert' | 'pv', version: number) => `card:update:${role}:${mentionId}:v${version}`,
  /** A follow-up changed (the version did not): the card shows its new due date. */
  cardRefreshForReminder: (mentionId: number, reminderId: number, at: Date) => `card:update:alert:${mentionId}:r${reminderId}:${at.getTime()}`,
  intakeReply: (channel: string, threadTs: string, mentionId: number) => `reply:${channel}:${threadTs}:${mentionId}`,
  reminder: (reminderId: number, dueAt: string) => `reminder:${reminderId}:${dueAt}`,
  reminderUpdate: (reminderId: number, at: Date) => `reminder:update:${reminderId}:${at.getTime()}`,
  emailDraftDm: (viewKey: string) => `dm:email:${viewKey}`,
  /** One line in a card's thread per event: `event` names it (a version, a modal's view id…). */
  threadLine: (mentionId: number, event: string) => `thread:${mentionId}:${event}`,
  /** A PV case's message in the PV channel, once per case. */
  pvCase: (caseId: number) => `pv:case:${caseId}`,
  /** One refresh of the PV message per case version. */
  pvCaseUpdate: (caseId: number, version: number) => `pv:update:${caseId}:v${version}`,
  /** The missed-deadline escalation: once in the PV thread, once to the rep (by user id). */
  pvEscalation: (caseId: number) => `pv:escalation:${caseId}`,
  pvEscalationDm: (caseId: number) => `pv:escalation:dm:${caseId}`,
  medicalReferral: (referralId: number) => `medical:referral:${referralId}`,
  medicalReferralUpdate: (referralId: number, version: number) => `medical:update:${referralId}:v${version}`,
  /** A burst's roll-up message, once per roll-up; refreshed once per roll-up version. */
  rollup: (rollupId: number) => `rollup:${rollupId}`,
  rollupUpdate: (rollupId: number, version: number) => `rollup:update:${rollupId}:v${version}`,
  /** A page of the roll-up's thread, once per page; refreshed once per page version. */
  rollupPage: (rollupId: number, page: number) => `rollup:page:${rollupId}:${page}`,
  rollupPageUpdate: (rollupId: number, page: number, version: number) => `rollup:page:update:${rollupId}:${page}:v${version}`,
} as const;
