import type { Kysely } from 'kysely';
import type { AlertView } from '../domain/alert-view';
import type { Channel, Sentiment } from '../domain/mention';
import { recommendedActions } from '../domain/playbook';
import { addBusinessDays } from '../domain/business-days';
import type { Config } from '../config';
import type { Database } from '../store/schema';
import { findHcp, findMention, findSphere } from '../store/mentions';
import { latestFollowUpOf } from '../store/reminders';

/** Gathers a mention's current state into the AlertView the card builders render. */
export async function loadAlertView(db: Kysely<Database>, config: Config, mentionId: number): Promise<AlertView | null> {
  const m = await findMention(db, mentionId);
  if (!m) return null;
  const hcp = await findHcp(db, m.author_handle);
  const sentiment = m.sentiment as Sentiment;
  const reminder = await latestFollowUpOf(db, mentionId);
  const isTarget = hcp?.target === 1;
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
      reportBy: m.adverse_event === 1 ? addBusinessDays(new Date(m.received_at), config.pv.deadlineBusinessDays, config.pv.holidays) : null,
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
  };
}
