import type { WebClient } from '@slack/web-api';
import type { KnownBlock } from '@slack/types';
import type { Transaction } from 'kysely';
import { buildAlertCard } from '../../blocks/alert-card';
import { threadLine } from '../../blocks/thread-line';
import { reminderMessage, slaEscalationText } from '../../blocks/reminder';
import { sentimentWord, type Sentiment } from '../domain/mention';
import { slaStillApplies } from '../domain/reminder-rules';
import type { AlertView } from '../domain/alert-view';
import type { FollowUpView } from '../domain/follow-up-view';
import type { Config } from '../config';
import type { Db } from '../store/db';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { findHcp, findMention, mentionReceivedAt, recordCardPosted } from '../store/mentions';
import { findReminder, recordReminderDelivered } from '../store/reminders';
import { queueCardUpdate, releaseThreadLinesOf, type OutboxPayload } from '../store/outbox';
import type { Database } from '../store/schema';
import type { Desk } from '../../blocks/home';
import { publishDeskView } from './home';
import { buildPvCaseMessage, pvEscalationDm, pvEscalationText } from '../../blocks/pv-case';
import { buildReferralMessage } from '../../blocks/medical-referral';
import type { PvMessageView } from '../domain/pv-case';
import type { ReferralMessageView } from '../domain/medical-referral';
import { findPvCase, recordPvMessagePosted } from '../store/pv-cases';
import { findReferral, recordReferralPosted } from '../store/medical-referrals';
import { queueMedicalReferralUpdate, queuePvCaseUpdate, queueRollupPageUpdate, queueRollupUpdate } from '../store/outbox';
import { recordAudit } from '../store/audit';
import { UPDATE_KINDS } from '../store/outbox-keys';
import { rollupMessage, rollupPageMessage } from '../../blocks/rollup';
import type { RollupPageView, RollupView } from '../domain/rollup';
import { findRollup, findRollupPage, postsBeforePage, recordRollupPagePosted, recordRollupPosted, rollupCounts, rollupPageItems, touchRollupPageOf } from '../store/rollups';
import { permalinksOf, linkKey } from './permalinks';

/**
 * What each kind of outbox entry does on Slack. `perform` makes the Slack call and returns
 * the message ts, or a reason to skip it (the state it was for has gone); `delivered` records
 * the outcome in the same transaction that marks the entry sent.
 */
export const METADATA_EVENT = 'hcp_pulse_outbox';

/** The entry waits for something else first (an intake reply waits for its alert card). */
export class NotReady extends Error {}

export type Outcome = { ts: string; renderedVersion?: number } | { skip: string };

/**
 * What delivery needs from the rest of the bot, handed in at assembly (src/app.ts) so that
 * delivery depends on no service: the views the messages render, the clock, and a wake-up.
 */
export interface DeliveryContext {
  db: Db;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  kickOutbox: () => void;
  views: {
    alert(mentionId: number): Promise<AlertView | null>;
    followUp(reminderId: number): Promise<FollowUpView | null>;
    /** A user's App Home: their desk (and the team view for managers). */
    home(user: string): Promise<Desk>;
    /** A PV case and its post, as the PV message shows them (with the case's version). */
    pvCase(caseId: number): Promise<(PvMessageView & { version: number }) | null>;
    /** A Medical referral and its post (with the referral's version). */
    referral(referralId: number): Promise<(ReferralMessageView & { version: number }) | null>;
  };
}

export interface EffectContext {
  ctx: DeliveryContext;
  slack: WebClient;
  outboxId: number;
  attempts: number;
}

/** Whether the effect posts a new message (so a crash mid-send must look for it before re-posting). */
export const postsNewMessage = (p: OutboxPayload): boolean => !UPDATE_KINDS.includes(p.kind);

/** Where a new message of this effect would be found: the channel, or a thread in it. */
export const threadOf = (p: OutboxPayload): string | undefined =>
  p.kind === 'intake_reply' || p.kind === 'reminder' || p.kind === 'thread_line' || p.kind === 'pv_escalation' || p.kind === 'rollup_page' ? p.threadTs : undefined;

/** About ten minutes of waiting for an alert card before a thread reply gives up. */
const NOT_READY_ATTEMPTS = 600;

export async function perform(e: EffectContext, p: OutboxPayload): Promise<Outcome> {
  const { ctx, slack } = e;
  const db = ctx.db.kysely;
  const metadata = { event_type: METADATA_EVENT, event_payload: { outbox_id: e.outboxId } };
  switch (p.kind) {
    case 'alert_card':
    case 'card_update': {
      const view = await ctx.views.alert(p.mentionId);
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
    case 'thread_line': {
      const text = threadLine(p.event);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
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
      const view = await ctx.views.followUp(r.id);
      if (!view) return { skip: 'reminder is gone' };
      const msg = reminderMessage(view);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text: msg.text, blocks: msg.blocks, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
    }
    case 'reminder_update': {
      const view = await ctx.views.followUp(p.reminderId);
      if (!view) return { skip: 'reminder is gone' };
      const msg = reminderMessage(view);
      await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
      return { ts: p.ts };
    }
    case 'pv_case':
    case 'pv_case_update': {
      const view = await ctx.views.pvCase(p.caseId);
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
      const view = await ctx.views.pvCase(p.caseId);
      // Acknowledged between the claim and now: nothing to chase any more.
      if (view?.case.status !== 'open') return { skip: `PV case is ${view?.case.status ?? 'gone'}` };
      const msg = p.threadTs ? { text: pvEscalationText(view.case, view.post.owner) } : pvEscalationDm(view.case, view.post);
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, ...msg, unfurl_links: false, metadata });
      return { ts: String(res.ts) };
    }
    case 'rollup':
    case 'rollup_update': {
      const view = await rollupViewOf(ctx, p.rollupId);
      if (!view) return { skip: 'roll-up no longer exists' };
      const msg = rollupMessage(view);
      if (p.kind === 'rollup_update') {
        await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
        return { ts: p.ts, renderedVersion: view.version };
      }
      const res = await slack.chat.postMessage({ channel: p.channel, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false, metadata });
      return { ts: String(res.ts), renderedVersion: view.version };
    }
    case 'rollup_page':
    case 'rollup_page_update': {
      const view = await rollupPageViewOf(ctx, slack, p.rollupId, p.page);
      if (!view) return { skip: 'roll-up page no longer exists' };
      const msg = rollupPageMessage(view);
      if (p.kind === 'rollup_page_update') {
        await slack.chat.update({ channel: p.channel, ts: p.ts, text: msg.text, blocks: msg.blocks });
        return { ts: p.ts, renderedVersion: view.version };
      }
      const res = await slack.chat.postMessage({ channel: p.channel, thread_ts: p.threadTs, text: msg.text, blocks: msg.blocks, unfurl_links: false, unfurl_media: false, metadata });
      return { ts: String(res.ts), renderedVersion: view.version };
    }
    case 'medical_referral':
    case 'medical_referral_update': {
      const view = await ctx.views.referral(p.referralId);
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
  ctx: DeliveryContext,
  trx: Transaction<Database>,
  p: OutboxPayload,
  ts: string,
  now: Date,
  renderedVersion?: number,
): Promise<void> {
  if (p.kind === 'alert_card') {
    const version = await recordCardPosted(trx, p.mentionId, p.role, p.channel, ts);
    // A rep acted between the render and now (the card was already on screen): bring it up to date.
    if (version !== null && renderedVersion !== undefined && version !== renderedVersion) {
      await queueCardUpdate(trx, { mentionId: p.mentionId, channel: p.channel, ts, role: p.role, version }, now);
      ctx.kickOutbox();
    }
    // Lines for actions taken before the card's ts was known go into its thread now.
    if (p.role === 'alert' && (await releaseThreadLinesOf(trx, p.mentionId, p.channel, ts, now)) > 0) ctx.kickOutbox();
    ctx.metrics.cardsSent.inc({ role: p.role });
    // A folded post opened as a card: its line in the roll-up's thread now links to the card.
    if (p.role === 'alert') await touchRollupPageOf(trx, p.mentionId, now);
  }
  if (p.kind === 'rollup') {
    const r = await recordRollupPosted(trx, p.rollupId, ts, now);
    // Posts were folded in while it was on its way (or it was found after a crash): refresh it.
    if (r && renderedVersion !== undefined && r.version !== renderedVersion) {
      await queueRollupUpdate(trx, { rollupId: p.rollupId, channel: p.channel, ts, version: r.version }, now);
    }
    ctx.kickOutbox();
  }
  // A refresh rendered before a fold that skipped queueing its own (one was waiting): once more.
  if (p.kind === 'rollup_update' || p.kind === 'rollup_page_update') {
    const current = p.kind === 'rollup_update' ? (await findRollup(trx, p.rollupId))?.version : (await findRollupPage(trx, p.rollupId, p.page))?.version;
    if (current !== undefined && renderedVersion !== undefined && current !== renderedVersion) {
      if (p.kind === 'rollup_update') await queueRollupUpdate(trx, { rollupId: p.rollupId, channel: p.channel, ts, version: current }, now);
      else await queueRollupPageUpdate(trx, { rollupId: p.rollupId, page: p.page, channel: p.channel, ts, version: current }, now);
      ctx.kickOutbox();
    }
  }
  if (p.kind === 'rollup_page') {
    const version = await recordRollupPagePosted(trx, p.rollupId, p.page, ts);
    if (version !== null && renderedVersion !== undefined && version !== renderedVersion) {
      await queueRollupPageUpdate(trx, { rollupId: p.rollupId, page: p.page, channel: p.channel, ts, version }, now);
      ctx.kickOutbox();
    }
  }
  if (p.kind === 'reminder') await recordReminderDelivered(trx, p.reminderId, p.channel, ts, now);
  if (p.kind === 'pv_case') {
    const version = await recordPvMessagePosted(trx, p.caseId, p.channel, ts, now);
    const c = await findPvCase(trx, p.caseId);
    if (version !== null && c) {
      await recordAudit(trx, { actor: 'hcp-pulse', action: 'pv.posted', mentionId: c.mention_id, after: { caseId: c.id, channel: p.channel, ts } }, now);
      // PV acted while the message was on its way (a retry, say): bring it up to date.
      if (renderedVersion !== undefined && c.version !== renderedVersion) {
        await queuePvCaseUpdate(trx, { caseId: c.id, channel: p.channel, ts, version: c.version }, now);
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
        await queueMedicalReferralUpdate(trx, { referralId: p.referralId, channel: p.channel, ts, version: r.version }, now);
        ctx.kickOutbox();
      }
    }
  }
}

/** After the transaction: refresh what shows the new state elsewhere. */
export async function afterDelivered(e: EffectContext, p: OutboxPayload): Promise<void> {
  if (p.kind === 'reminder' && !p.threadTs) await publishHome(e.ctx, e.slack, p.channel);
  if (p.kind === 'alert_card') {
    // How long people waited for the card: from the mention's arrival to its card in Slack.
    const receivedAt = await mentionReceivedAt(e.ctx.db.kysely, p.mentionId);
    if (receivedAt) e.ctx.metrics.mentionToCard.observe({ role: p.role }, Math.max(0, (e.ctx.now().getTime() - Date.parse(receivedAt)) / 1000));
  }
}

/** Republishes a rep's App Home; best-effort, as the Home is refreshed on every visit too. */
export function publishHome(ctx: DeliveryContext, slack: WebClient, user: string): Promise<void> {
  return publishDeskView(slack, ctx.logger, user, () => ctx.views.home(user));
}

/** The roll-up as its message shows it, with the version it was read at. */
async function rollupViewOf(ctx: DeliveryContext, rollupId: number): Promise<(RollupView & { version: number }) | null> {
  const db = ctx.db.kysely;
  const r = await findRollup(db, rollupId);
  if (!r) return null;
  const counts = await rollupCounts(db, rollupId);
  const byStance = { positive: 0, neutral: 0, negative: 0 };
  for (const c of counts.byStance) if (c.sentiment in byStance) byStance[c.sentiment as Sentiment] += c.n;
  return { rollupId, version: r.version, count: r.post_count, since: r.opened_at, latest: r.last_folded_at, byStance, byProduct: counts.byProduct };
}

/** A page of the roll-up's thread as it shows now, with links to the cards opened from it. */
async function rollupPageViewOf(ctx: DeliveryContext, slack: WebClient, rollupId: number, page: number): Promise<(RollupPageView & { version: number }) | null> {
  const db = ctx.db.kysely;
  // The version is read first: a change after it is refreshed by the next update.
  const p = await findRollupPage(db, rollupId, page);
  if (!p) return null;
  const rows = await rollupPageItems(db, rollupId, page);
  const links = await permalinksOf(slack, rows.filter((r) => r.opened_as_card_by || r.alert_ts).map((r) => ({ channel: r.alert_channel, ts: r.alert_ts })));
  return {
    rollupId,
    page,
    version: p.version,
    firstIndex: await postsBeforePage(db, rollupId, page),
    items: rows.map((r) => ({
      mentionId: r.id,
      author: { handle: r.author_handle, name: r.author_name },
      text: r.text,
      url: r.url,
      sentiment: r.sentiment as Sentiment,
      postedAt: r.posted_at,
      card: r.opened_as_card_by || r.alert_ts ? { openedBy: r.opened_as_card_by, link: links.get(linkKey(r.alert_channel, r.alert_ts)) ?? null } : null,
    })),
  };
}

export function slackMethodOf(p: OutboxPayload): string {
  return postsNewMessage(p) ? 'chat.postMessage' : 'chat.update';
}

function intakeReplyText(permalink: string, sentiment: Sentiment, adverse: boolean, duplicate: boolean): string {
  const link = `<${permalink}|alert card>`;
  const ae = adverse ? ' :warning: Possible adverse event: report it to pharmacovigilance within one business day.' : '';
  return duplicate ? `This post was already logged: see its ${link}.` : `Logged as a *${sentimentWord(sentiment)}* mention: here is the ${link}.${ae}`;
}
