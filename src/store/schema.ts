import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { MentionStatus, ReminderKind, ReminderStatus } from './types';
import type { OutboxKind, OutboxLane, OutboxStatus } from './outbox-keys';
import type { RollupStatus } from '../domain/statuses';

/**
 * Tables, shared by the SQLite and PostgreSQL dialects. Portable column types only:
 * timestamps are ISO 8601 UTC strings (they sort as text), booleans are 0/1 integers,
 * structured values are JSON text.
 */
export interface MentionsTable {
  id: Generated<number>;
  source: string;
  external_id: string;
  url: string | null;
  author_handle: string;
  author_name: string | null;
  text: string;
  text_from_reporter: number;
  posted_at: string;
  received_at: string;
  product: string | null;
  via: string;
  reported_by: string | null;
  sentiment: string;
  sentiment_score: number;
  sentiment_cues: string;
  adverse_event: number;
  adverse_event_cues: string;
  /** JSON of the domain's Classification; null for rows logged before it existed. */
  classification: string | null;
  medical_question: Generated<number>;
  /** The listening tool's own sentiment label and matching query or topic (WEBHOOK_MAPPING, X rule tags). */
  tool_sentiment: string | null;
  tool_query: string | null;
  status: MentionStatus;
  assignee: string | null;
  done_by: string | null;
  done_at: string | null;
  done_reason: string | null;
  email_drafted_by: string | null;
  email_drafted_at: string | null;
  /** When a rep first worked the alert (assigned, drafted, snoozed, done); null until then. */
  first_action_at: string | null;
  reopened_by: string | null;
  reopened_at: string | null;
  alert_channel: string | null;
  alert_ts: string | null;
  pv_channel: string | null;
  pv_ts: string | null;
  version: number;
  updated_at: string;
  /** The burst roll-up this post was folded into (its card was not posted), and its page there. */
  rollup_id: number | null;
  rollup_page: number | null;
  /** Who asked for a folded post's full card (Open as card), and when. */
  opened_as_card_by: string | null;
  opened_as_card_at: string | null;
}

export interface HcpsTable {
  handle: string;
  name: string | null;
  email: string | null;
  specialty: string | null;
  institution: string | null;
  npi: string | null;
  target: number;
  owner_slack_id: string | null;
  channel_id: string | null;
  /** 1 in effect, 0 retired: kept for the history, used for nothing new. */
  active: Generated<number>;
  updated_at: string;
}

export interface RemindersTable {
  id: Generated<number>;
  mention_id: number;
  kind: ReminderKind;
  due_at: string;
  status: ReminderStatus;
  instruction: string;
  attempts: number;
  locked_until: string | null;
  delivered_at: string | null;
  delivered_channel: string | null;
  delivered_ts: string | null;
  completed_by: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  /** Who hears of it, when a rep set it for themself (sphere_outreach); null: routed by the mention. */
  recipient: string | null;
  /** Makes a rep's repeated click one reminder (null for reminders the bot plans). */
  dedupe_key: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  /** One entry per effect; a unique key makes enqueueing idempotent. */
  dedupe_key: string;
  kind: OutboxKind;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  /** 1 while a send is in flight: after a crash, the outcome of that send is unknown. */
  in_flight: number;
  last_error: string | null;
  result: string | null;
  created_at: string;
  sent_at: string | null;
  /** 'post' (a new message, paced per channel) or 'update' (chat.update in place). */
  lane: Generated<OutboxLane>;
  /** The Slack channel the effect posts or updates in (a user id for a DM). */
  channel: string | null;
  /** Urgency in its channel's queue: lower first (outbox-keys.ts, RANK). */
  rank: Generated<number>;
}

/** When each channel may take its next new message (Slack: about one per second). */
export interface OutboxChannelsTable {
  channel: string;
  ready_at: string;
}

/** One roll-up message per burst and channel (store/rollups.ts). */
export interface RollupsTable {
  id: Generated<number>;
  channel: string;
  /** RollupStatus: open (takes new folds), closed (a quiet period passed, or it is full). */
  status: RollupStatus;
  opened_at: string;
  last_folded_at: string;
  closed_at: string | null;
  post_count: number;
  /** Bumped on every fold: the posted message is refreshed when it shows an older one. */
  version: number;
  ts: string | null;
  posted_at: string | null;
}

/** A reply in a roll-up's thread listing up to a page of its posts. */
export interface RollupPagesTable {
  rollup_id: number;
  page: number;
  /** Bumped when a post joins the page or one of its posts is opened as a card. */
  version: number;
  ts: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  mention_id: number | null;
  before: string | null;
  after: string | null;
}

export interface SlackEventsTable {
  event_id: string;
  received_at: string;
}

export interface SentimentCorrectionsTable {
  id: Generated<number>;
  mention_id: number;
  text: string;
  predicted: string;
  corrected: string;
  corrected_by: string;
  at: string;
}

/** A possible adverse event in PV's hands (src/domain/pv-case.ts); one per mention. */
export interface PvCasesTable {
  id: Generated<number>;
  mention_id: number;
  /** PvCaseStatus: open, acknowledged, reported, not_ae. */
  status: string;
  /** PvCaseOrigin: detected, rep. */
  origin: string;
  opened_by: string;
  opened_at: string;
  deadline_at: string;
  pv_channel: string | null;
  pv_ts: string | null;
  pv_posted_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  closed_by: string | null;
  closed_at: string | null;
  not_ae_reason: string | null;
  safety_case_id: string | null;
  /** Set once, by the claim that queues the missed-deadline escalation. */
  escalated_at: string | null;
  version: number;
  updated_at: string;
}

/** A medical question referred to Medical Information; one per mention. */
export interface MedicalReferralsTable {
  id: Generated<number>;
  mention_id: number;
  /** ReferralStatus: referred, answered. */
  status: string;
  question: string;
  referred_by: string;
  referred_at: string;
  channel: string;
  ts: string | null;
  posted_at: string | null;
  answered_by: string | null;
  answered_at: string | null;
  version: number;
  updated_at: string;
}

export interface LabelCorrectionsTable {
  id: Generated<number>;
  mention_id: number;
  /** 'stance', 'adverse_event' or 'medical_question'. */
  field: string;
  /** A sentiment for stance; 'true' / 'false' for the flags. */
  predicted: string;
  corrected: string;
  corrected_by: string;
  at: string;
}

export interface Database {
  mentions: MentionsTable;
  hcps: HcpsTable;
  reminders: RemindersTable;
  outbox: OutboxTable;
  outbox_channels: OutboxChannelsTable;
  rollups: RollupsTable;
  rollup_pages: RollupPagesTable;
  audit: AuditTable;
  slack_events: SlackEventsTable;
  sentiment_corrections: SentimentCorrectionsTable;
  pv_cases: PvCasesTable;
  medical_referrals: MedicalReferralsTable;
  label_corrections: LabelCorrectionsTable;
}

export type MentionRow = Selectable<MentionsTable>;
export type MentionUpdate = Updateable<MentionsTable>;
export type HcpRow = Selectable<HcpsTable>;
export type NewHcp = Insertable<HcpsTable>;
export type ReminderRow = Selectable<RemindersTable>;
export type NewMentionRow = Insertable<MentionsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type PvCaseRow = Selectable<PvCasesTable>;
export type MedicalReferralRow = Selectable<MedicalReferralsTable>;
export type RollupRow = Selectable<RollupsTable>;
