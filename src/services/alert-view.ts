import type { Kysely } from 'kysely';
import type { AlertView, MentionHistory } from '../domain/alert-view';
import { adviceFor } from '../domain/advice';
import type { Classification } from '../domain/classification';
import type { Channel, Sentiment } from '../domain/mention';
import { recommendedActions } from '../domain/playbook';
import { businessDeadline } from '../domain/business-days';
import { UNKNOWN_QUESTION } from '../domain/medical-referral';
import { findPvCaseOfMention } from '../store/pv-cases';
import { findReferralOfMention } from '../store/medical-referrals';
import { pvCaseView, referralView } from './pv-views';
import type { Config } from '../config';
import type { Database } from '../store/schema';
import { earlierMentionsOf, findHcp, findMention, findSphere } from '../store/mentions';
import { latestFollowUpOf } from '../store/reminders';

const YEAR_MS = 365 * 86_400_000;

/** Gathers a mention's current state into the AlertView the card builders render. */
export async function loadAlertView(db: Kysely<Database>, config: Config, mentionId: number): Promise<AlertView | null> {
  const m = await findMention(db, mentionId);
  if (!m) return null;
  const hcp = await findHcp(db, m.author_handle);
  const sentiment = m.sentiment as Sentiment;
  const reminder = await latestFollowUpOf(db, mentionId);
  const isTarget = hcp?.target === 1;
  const hcpName = hcp?.name ?? m.author_name ?? `@${m.author_handle}`;
  const classification = parseClassification(m.classification);
  const since = new Date(Date.parse(m.posted_at) - YEAR_MS).toISOString();
  const earlier = await earlierMentionsOf(db, m.author_handle, m.id, since);
  const pvCase = await findPvCaseOfMention(db, mentionId);
  const referral = m.medical_question === 1 ? await findReferralOfMention(db, mentionId) : undefined;
  const question = classification?.medicalQuestion?.summary ?? UNKNOWN_QUESTION;
  return {
    mentionId: m.id,
    version: m.version,
    source: m.source,
    externalId: m.external_id,
    url: m.url,
    author: { handle: m.author_handle, name: m.author_name },
    text: m.text,
    textFromReporter: m.text_from_reporter === 1,
    postedAt: m.posted_at,
    product: m.product,
    via: m.via as Channel,
    reportedBy: m.reported_by,
    tool: m.tool_sentiment || m.tool_query ? { sentiment: m.tool_sentiment, query: m.tool_query } : null,
    sentiment: { label: sentiment, score: m.sentiment_score, cues: JSON.parse(m.sentiment_cues) as string[] },
    adverseEvent: {
      possible: m.adverse_event === 1,
      cues: JSON.parse(m.adverse_event_cues),
      reportBy: pvCase ? pvCase.deadline_at : m.adverse_event === 1 ? businessDeadline(new Date(m.received_at), config.pv.deadlineBusinessDays, config.pv).toISOString() : null,
    },
    classification,
    hcp: hcp ? { name: hcp.name, isTarget, specialty: hcp.specialty, institution: hcp.institution, ownerSlackId: hcp.owner_slack_id } : null,
    actions: recommendedActions(sentiment, isTarget, hcpName),
    advice: adviceFor({
      topic: classification?.topic ?? 'other',
      kind: classification?.kind,
      medicalQuestion: m.medical_question === 1,
      sentiment,
      isTarget,
      hcpName,
    }),
    followUp: reminder ? { dueAt: reminder.due_at, status: reminder.status } : null,
    sphere: hcp && sentiment === 'negative' ? await findSphere(db, hcp) : [],
    history: historyOf(earlier),
    status: {
      state: m.status === 'done' ? 'done' : 'open',
      assignee: m.assignee,
      doneBy: m.done_by,
      doneAt: m.done_at,
      doneReason: m.done_reason,
      emailDraftedBy: m.email_drafted_by,
      emailDraftedAt: m.email_drafted_at,
      firstActionAt: m.first_action_at,
      reopenedBy: m.reopened_by,
      reopenedAt: m.reopened_at,
    },
    pv: pvCase ? pvCaseView(pvCase, config) : null,
    medical: m.medical_question === 1 ? { question, referral: referral ? referralView(referral) : null, channelConfigured: Boolean(config.channels.medical) } : null,
  };
}

function parseClassification(raw: string | null): Classification | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Classification;
  } catch {
    return null;
  }
}

function historyOf(rows: { id: number; posted_at: string; sentiment: string; url: string | null }[]): MentionHistory | null {
  if (rows.length === 0) return null;
  const byStance: MentionHistory['byStance'] = { positive: 0, neutral: 0, negative: 0 };
  for (const r of rows) if (r.sentiment in byStance) byStance[r.sentiment as Sentiment]++;
  const last = rows[0]!;
  return { total: rows.length, byStance, last: { mentionId: last.id, postedAt: last.posted_at, sentiment: last.sentiment as Sentiment, link: last.url } };
}
