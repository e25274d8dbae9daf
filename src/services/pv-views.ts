import type { Kysely } from 'kysely';
import type { Config } from '../config';
import { parseClassification, reportElements, escalationRecipient, type PvCaseOrigin, type PvCaseStatus, type PvCaseView, type PvMessageView, type LegacyCues } from '../domain/pv-case';
import { UNKNOWN_QUESTION, type ReferralMessageView, type ReferralStatus, type ReferralView } from '../domain/medical-referral';
import type { Database, MedicalReferralRow, PvCaseRow } from '../store/schema';
import { findHcp, findMention } from '../store/mentions';
import { findPvCase } from '../store/pv-cases';
import { findReferral } from '../store/medical-referrals';

/** Gathers what the PV case message and the Medical referral show, from the store. */
export const pvCaseView = (c: PvCaseRow, config: Config): PvCaseView => ({
  caseId: c.id,
  status: c.status as PvCaseStatus,
  origin: c.origin as PvCaseOrigin,
  openedBy: c.opened_by,
  openedAt: c.opened_at,
  deadlineAt: c.deadline_at,
  deadlineBusinessDays: config.pv.deadlineBusinessDays,
  timeZone: config.pv.timeZone,
  postedAt: c.pv_posted_at,
  acknowledgedBy: c.acknowledged_by,
  acknowledgedAt: c.acknowledged_at,
  closedBy: c.closed_by,
  closedAt: c.closed_at,
  notAeReason: c.not_ae_reason,
  safetyCaseId: c.safety_case_id,
  escalatedAt: c.escalated_at,
});

export const referralView = (r: MedicalReferralRow): ReferralView => ({
  referralId: r.id,
  status: r.status as ReferralStatus,
  question: r.question || UNKNOWN_QUESTION,
  referredBy: r.referred_by,
  referredAt: r.referred_at,
  postedAt: r.posted_at,
  answeredBy: r.answered_by,
  answeredAt: r.answered_at,
});

const legacyCues = (json: string): LegacyCues | null => {
  try {
    return JSON.parse(json) as LegacyCues;
  } catch {
    return null;
  }
};

export async function loadPvMessageView(db: Kysely<Database>, config: Config, caseId: number): Promise<(PvMessageView & { version: number }) | null> {
  const c = await findPvCase(db, caseId);
  if (!c) return null;
  const m = await findMention(db, c.mention_id);
  if (!m) return null;
  const hcp = await findHcp(db, m.author_handle);
  return {
    version: c.version,
    case: pvCaseView(c, config),
    post: {
      mentionId: m.id,
      source: m.source,
      url: m.url,
      author: { handle: m.author_handle, name: m.author_name ?? hcp?.name ?? null },
      text: m.text,
      textFromReporter: m.text_from_reporter === 1,
      postedAt: m.posted_at,
      product: m.product,
      receivedAt: m.received_at,
      via: m.via,
      forwardedBy: m.reported_by,
      elements: reportElements(parseClassification(m.classification), legacyCues(m.adverse_event_cues)),
      owner: escalationRecipient(m.assignee, hcp?.owner_slack_id ?? null),
    },
  };
}

export async function loadReferralMessageView(db: Kysely<Database>, referralId: number): Promise<(ReferralMessageView & { version: number }) | null> {
  const r = await findReferral(db, referralId);
  if (!r) return null;
  const m = await findMention(db, r.mention_id);
  if (!m) return null;
  const hcp = await findHcp(db, m.author_handle);
  return {
    version: r.version,
    referral: referralView(r),
    post: {
      mentionId: m.id,
      source: m.source,
      url: m.url,
      author: { handle: m.author_handle, name: m.author_name ?? hcp?.name ?? null },
      text: m.text,
      textFromReporter: m.text_from_reporter === 1,
      postedAt: m.posted_at,
      product: m.product,
    },
  };
}
