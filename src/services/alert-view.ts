import type { Kysely } from 'kysely';
import type { AlertView } from '../domain/alert-view';
import type { Channel, Sentiment } from '../domain/mention';
import { recommendedActions } from '../domain/playbook';
import { businessDeadline } from '../domain/business-days';
import { parseClassification } from '../domain/pv-case';
import { UNKNOWN_QUESTION } from '../domain/medical-referral';
import { findPvCaseOfMention } from '../store/pv-cases';
import { findReferralOfMention } from '../store/medical-referrals';
import { pvCaseView, referralView } from './pv-views';
import type { Config } from '../config';
import type { Database } from '../store/schema';
import { findHcp, findMention, findSphere } from '../store/mentions';

/** Gathers a mention's current state into the AlertView the card builders render. */
export async function loadAlertView(db: Kysely<Database>, config: Config, mentionId: number): Promise<AlertView | null> {
  const m = await findMention(db, mentionId);
  if (!m) return null;
  const hcp = await findHcp(db, m.author_handle);
  const sentiment = m.sentiment as Sentiment;
  const reminder = await db
    .selectFrom('reminders')
    .select(['due_at', 'status'])
    .where('mention_id', '=', mentionId)
    .where('kind', '=', 'follow_up')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const isTarget = hcp?.target === 1;
  const pvCase = await findPvCaseOfMention(db, mentionId);
  const referral = m.medical_question === 1 ? await findReferralOfMention(db, mentionId) : undefined;
  const question = parseClassification(m.classification)?.medicalQuestion?.summary ?? UNKNOWN_QUESTION;
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
    hcp: hcp ? { name: hcp.name, isTarget, specialty: hcp.specialty, institution: hcp.institution } : null,
    actions: recommendedActions(sentiment, isTarget),
    followUp: reminder ? { dueAt: reminder.due_at, status: reminder.status } : null,
    sphere: hcp && sentiment === 'negative' ? await findSphere(db, hcp) : [],
    status: {
      state: m.status === 'done' ? 'done' : 'open',
      assignee: m.assignee,
      doneBy: m.done_by,
      doneAt: m.done_at,
      doneReason: m.done_reason,
      emailDraftedBy: m.email_drafted_by,
    },
    pv: pvCase ? pvCaseView(pvCase, config) : null,
    medical: m.medical_question === 1 ? { question, referral: referral ? referralView(referral) : null, channelConfigured: Boolean(config.channels.medical) } : null,
  };
}
