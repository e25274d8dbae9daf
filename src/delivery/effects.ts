import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import type { Transaction } from 'kysely';
import { buildAlertCard } from '../../blocks/alert-card';
import { reminderMessage, slaEscalationText } from '../../blocks/reminder';
import { sentimentWord, type Sentiment } from '../domain/mention';
import { slaStillApplies } from '../domain/reminder-rules';
import { loadAlertView } from '../services/alert-view';
import type { ServiceContext } from '../services/context';
import { loadFollowUpView, publishHome } from '../services/follow-ups';
import { findHcp, findMention } from '../store/mentions';
import { findReminder } from '../store/reminders';
import { enqueue, type OutboxPayload } from '../store/outbox';
import { buildPvCaseMessage, pvEscalationDm, pvEscalationText } from '../../blocks/pv-case';
import { buildReferralMessage } from '../../blocks/medical-referral';
import { loadPvMessageView, loadReferralMessageView } from '../services/pv-views';
import { findPvCase, recordPvMessagePosted } from '../store/pv-cases';
import { findReferral, recordReferralPosted } from '../store/medical-referrals';
import { recordAudit } from '../store/audit';
import type { Database } from '../store/schema';

/**
 * What each kind of outbox entry does on Slack. `perform` makes the Slack call and returns
 * the message ts, or a reason to skip it (the state it was for has gone); `delivered` records
 * the outcome in the same transaction that marks the entry sent.
 */
export const METADATA_EVENT = 'hcp_pulse_outbox';

/** The entry waits for something else first (an intake reply waits for its alert card). */
export class NotReady extends Error {}

export type Outcome = { ts: string; renderedVersion?: number } | { skip: string };

export interface EffectContext {
  ctx: ServiceContext;
  slack: WebClient;
  outboxId: number;
  attempts: number;
}

/** Whether the effect posts a new message (so a crash mid-send must look for it before re-posting). */
export const postsNewMessage = (p: OutboxPayload): boolean =>
  p.kind !== 'card_update' && p.kind !== 'reminder_update' && p.kind !== 'pv_case_update' && p.kind !== 'medical_referral_update';

/** Where a new message of this effect would be found: the channel, or a thread in it. */
export const threadOf = (p: OutboxPayload): string | undefined =>
  p.kind === 'intake_reply' || p.kind === 'reminder' || p.kind === 'pv_escalation' ? p.threadTs : undefined;

/** About ten minutes of waiting for an alert card before a thread reply gives up. */
const NOT_READY_ATTEMPTS = 600;

export async function perform(e: EffectContext, p: OutboxPayload): Promise<Outcome> {
  const { ctx, slack } = e;
  const db = ctx.db.kysely;
  const metadata = { event_type: METADATA_EVENT, event_payload: { outbox_id: e.outboxId } };
  switch (p.kind) {
    case 'alert_card':
    case 'card_update': {
      const view = await loadAlertView(db, ctx.config, p.mentionId);
      if (!view) return { skip: 'mention no longer exists' };
      const card = buildAlertCard(view, p.role);
      if (p.kind === 'card_update') {
        await slack.chat.update({ channel: p.channel, ts: p.ts, text: card.text, blocks: card.blocks });
        return { ts: p.ts };
      }
      const res = await slack.chat.postMessage({
        channel: p.channel,
        text: card.text,
        blocks: card.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: METADATA_EVENT, event_payload: { outbox_id: e.outboxId, mention_id: p.mentionId } },
      });
      return { ts: String(res.ts), renderedVersion: view.version };
    }
    case 'dm': {
      const res = await slack.chat.postMessage({ channel: p.channel, text: p.text, blocks: p.blocks as KnownBlock[], metadata });
      return { ts: String(res.ts) };
    }
    case 'intake_reply': {
      const m = await findMention(db, p.mentionId);
      if (!m) return { skip: 'mention no longer exists' };
      if (!m.alert_channel || !m.alert_ts) {
        if (e.attempts > NOT_READY_ATTEMPTS) return { skip: 'the alert card was never posted' };
        throw new NotReady();
      }
      const { permalink } = await slack.chat.getPermalink({ channel: m.alert_channel, message_ts: m.alert_ts });
      const text = intakeReplyText(String(permalink), m.sentiment as Sentiment, m.adverse_event === 1, p.duplicate);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
    }
    case 'reminder': {
      const r = await findReminder(db, p.reminderId);
      if (!r || r.status !== 'queued') return { skip: `reminder is ${r?.status ?? 'gone'}` };
      if (r.kind === 'response_sla') {
        const m = await findMention(db, r.mention_id);
        if (!m || !slaStillApplies(m)) return { skip: 'someone acted on the alert' };
        const owner = (await findHcp(db, m.author_handle))?.owner_slack_id ?? null;
        const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text: slaEscalationText(ctx.config.responseSlaHours, owner), metadata });
        return { ts: String(res.ts) };
      }
      const view = await loadFollowUpView(db, r.id);
      if (!view) return { skip: 'reminder is gone' };
      const msg = reminderMessage(view);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text: msg.text, blocks: msg.blocks, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
    }
    case 'reminder_update': {
      const view = await loadFollowUpView(db, p.reminderId);
      if (!view) return { skip: 'reminder is gone' };
      const msg = reminderMessage(view);
      await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
      return { ts: p.ts };
    }
    case 'pv_case':
    case 'pv_case_update': {
      const view = await loadPvMessageView(db, ctx.config, p.caseId);
      if (!view) return { skip: 'PV case no longer exists' };
      const msg = buildPvCaseMessage(view);
      if (p.kind === 'pv_case_update') {
        await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
        return { ts: p.ts };
      }
      const res = await slack.chat.postMessage({ channel: p.channel, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false, metadata });
      return { ts: String(res.ts), renderedVersion: view.version };
    }
    case 'pv_escalation': {
      const view = await loadPvMessageView(db, ctx.config, p.caseId);
      // Acknowledged between the claim and now: nothing to chase any more.
      if (!view || view.case.status !== 'open') return { skip: `PV case is ${view?.case.status ?? 'gone'}` };
      const msg = p.threadTs ? { text: pvEscalationText(view.case, view.post.owner) } : pvEscalationDm(view.case, view.post);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, ...msg, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
    }
    case 'medical_referral':
    case 'medical_referral_update': {
      const view = await loadReferralMessageView(db, p.referralId);
      if (!view) return { skip: 'referral no longer exists' };
      const msg = buildReferralMessage(view);
      if (p.kind === 'medical_referral_update') {
        await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
        return { ts: p.ts };
      }
      const res = await slack.chat.postMessage({ channel: p.channel, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false, metadata });
      return { ts: String(res.ts), renderedVersion: view.version };
    }
  }
}

export async function delivered(
  ctx: ServiceContext,
  trx: Transaction<Database>,
  p: OutboxPayload,
  ts: string,
  now: Date,
  renderedVersion?: number,
): Promise<void> {
  if (p.kind === 'alert_card') {
    const cols = p.role === 'pv' ? { pv_channel: p.channel, pv_ts: ts } : { alert_channel: p.channel, alert_ts: ts };
    const m = await trx.updateTable('mentions').set(cols).where('id', '=', p.mentionId).returning('version').executeTakeFirst();
    // A rep acted between the render and now (the card was already on screen): bring it up to date.
    if (m && renderedVersion !== undefined && m.version !== renderedVersion) {
      await enqueue(trx, `card:update:${p.role}:${p.mentionId}:v${m.version}`, { kind: 'card_update', mentionId: p.mentionId, channel: p.channel, ts, role: p.role }, now);
      ctx.kickOutbox();
    }
    ctx.metrics.cardsSent.inc({ role: p.role });
  }
  if (p.kind === 'pv_case') {
    const version = await recordPvMessagePosted(trx, p.caseId, p.channel, ts, now);
    const c = await findPvCase(trx, p.caseId);
    if (version !== null && c) {
      await recordAudit(trx, { actor: 'hcp-pulse', action: 'pv.posted', mentionId: c.mention_id, after: { caseId: c.id, channel: p.channel, ts } }, now);
      // PV acted while the message was on its way (a retry, say): bring it up to date.
      if (renderedVersion !== undefined && c.version !== renderedVersion) {
        await enqueue(trx, `pv:update:${c.id}:v${c.version}`, { kind: 'pv_case_update', caseId: c.id, channel: p.channel, ts }, now);
        ctx.kickOutbox();
      }
    }
    ctx.metrics.cardsSent.inc({ role: 'pv' });
  }
  if (p.kind === 'medical_referral') {
    const version = await recordReferralPosted(trx, p.referralId, p.channel, ts, now);
    const r = await findReferral(trx, p.referralId);
    if (version !== null && r) {
      await recordAudit(trx, { actor: 'hcp-pulse', action: 'medical.posted', mentionId: r.mention_id, after: { referralId: p.referralId, channel: p.channel, ts } }, now);
      if (renderedVersion !== undefined && r.version !== renderedVersion) {
        await enqueue(trx, `medical:update:${p.referralId}:v${r.version}`, { kind: 'medical_referral_update', referralId: p.referralId, channel: p.channel, ts }, now);
        ctx.kickOutbox();
      }
    }
  }
  if (p.kind === 'reminder') {
    await trx
      .updateTable('reminders')
      .set((eb) => ({
        // An escalation is said once; a follow-up stays open until a rep completes it.
        status: eb.case().when('kind', '=', 'response_sla').then('done').else('delivered').end(),
        delivered_at: now.toISOString(),
        delivered_channel: p.channel,
        delivered_ts: ts,
        updated_at: now.toISOString(),
      }))
      .where('id', '=', p.reminderId)
      .where('status', '=', 'queued')
      .execute();
  }
}

/** After the transaction: refresh what shows the new state elsewhere. */
export async function afterDelivered(e: EffectContext, p: OutboxPayload): Promise<void> {
  if (p.kind === 'reminder' && !p.threadTs) await publishHome(e.ctx, e.slack, p.channel);
}

export function slackMethodOf(p: OutboxPayload): string {
  return postsNewMessage(p) ? 'chat.postMessage' : 'chat.update';
}

function intakeReplyText(permalink: string, sentiment: Sentiment, adverse: boolean, duplicate: boolean): string {
  const link = `<${permalink}|alert card>`;
  const ae = adverse ? ' :warning: Possible adverse event: report it to pharmacovigilance within one business day.' : '';
  return duplicate ? `This post was already logged: see its ${link}.` : `Logged as a *${sentimentWord(sentiment)}* mention: here is the ${link}.${ae}`;
}
