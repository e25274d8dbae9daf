import type { Transaction } from 'kysely';
import { businessDeadline } from '../domain/business-days';
import { escalationRecipient, NOT_AE_REASON_MAX, refusalOf, SAFETY_CASE_ID_MAX, type PvCaseStatus, type PvStep } from '../domain/pv-case';
import { recordAudit } from '../store/audit';
import { findMention, setAdverseEventFlag } from '../store/mentions';
import { recordLabelCorrection } from '../store/label-corrections';
import { queuePvCaseMessage, queuePvCaseUpdate, queuePvEscalation } from '../store/outbox';
import {
  acknowledgePvCase,
  claimPvEscalation,
  closePvCaseAsNotAdverseEvent,
  findPvCase,
  findPvCaseOfMention,
  markPvCaseReported,
  openPvCase,
  overduePvCases,
} from '../store/pv-cases';
import type { Database, PvCaseRow } from '../store/schema';
import { ActionRefused, MentionNotFound } from './card-actions';
import { refreshRepCard } from './card-refresh';
import type { ServiceContext } from './context';

/**
 * PV's use cases on a possible adverse event: a case opened by the detector or by a rep, PV's
 * three decisions, and the one escalation of a missed deadline. Each is one transaction: the
 * case's state, an audit entry, and the Slack effects (PV message, rep's card, escalation)
 * queued in the outbox.
 */
export const SYSTEM_ACTOR = 'hcp-pulse';

type Trx = Transaction<Database>;

export class PvCaseNotFound extends Error {
  constructor(readonly caseId: number) {
    super(`PV case ${caseId} no longer exists`);
  }
}

/** Opens a case for a mention and queues its PV message; null when the mention already has one. */
export async function openCase(
  ctx: ServiceContext,
  trx: Trx,
  // clockFrom: when the company learnt of the event (the post's arrival), if not now.
  input: { mentionId: number; origin: 'detected' | 'rep'; openedBy: string; clockFrom?: Date },
  now: Date,
): Promise<PvCaseRow | null> {
  const channel = ctx.config.channels.pv;
  if (!channel) return null;
  const { clockFrom, ...opening } = input;
  const deadlineAt = businessDeadline(clockFrom ?? now, ctx.config.pv.deadlineBusinessDays, ctx.config.pv);
  const row = await openPvCase(trx, { ...opening, deadlineAt, channel }, now);
  if (!row) return null;
  await queuePvCaseMessage(trx, { caseId: row.id, channel }, now);
  await recordAudit(
    trx,
    { actor: input.openedBy, action: 'pv.case_opened', mentionId: input.mentionId, after: { caseId: row.id, origin: input.origin, deadlineAt: row.deadline_at, channel } },
    now,
  );
  return row;
}

/** A rep's **Report to PV**: a case for a post the detector did not flag. */
export async function reportToPv(ctx: ServiceContext, mentionId: number, actor: string): Promise<PvCaseRow> {
  if (!ctx.config.channels.pv) {
    throw new ActionRefused(
      'No pharmacovigilance channel is set up for HCP Pulse (PV_CHANNEL_ID), so the bot cannot send this to PV. Forward the post link to your pharmacovigilance team through your company\'s adverse-event reporting route within one business day.',
    );
  }
  const now = ctx.now();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    const opened = await openCase(ctx, trx, { mentionId, origin: 'rep', openedBy: actor }, now);
    if (!opened) {
      const existing = await findPvCaseOfMention(trx, mentionId);
      throw new ActionRefused(`PV already has this post (PV case ${existing?.id ?? '?'}).`);
    }
    if (m.adverse_event !== 1) {
      // The detector missed it: the rep's report is a labelled example, and the card now says so.
      await recordLabelCorrection(trx, { mentionId, field: 'adverse_event', predicted: false, corrected: true, by: actor, at: now });
      await setAdverseEventFlag(trx, mentionId, true);
    }
    await refreshRepCard(trx, mentionId, now, { actor, status: `reported this post to PV (PV case ${opened.id})`, key: `case:${opened.id}:opened` });
    return opened;
  });
  ctx.kickOutbox();
  return row;
}

const MAX_ATTEMPTS = 5;

/** Runs one of PV's decisions on a case, as one transaction, retrying on a concurrent change. */
async function decide(
  ctx: ServiceContext,
  caseId: number,
  actor: string,
  step: PvStep,
  action: string,
  apply: (trx: Trx, from: PvCaseRow, now: Date) => Promise<PvCaseRow | null>,
  detail: (to: PvCaseRow) => Record<string, unknown>,
  line: (to: PvCaseRow) => string,
  also?: (trx: Trx, to: PvCaseRow, now: Date) => Promise<void>,
): Promise<PvCaseRow> {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const from = await findPvCase(trx, caseId);
      if (!from) throw new PvCaseNotFound(caseId);
      const refusal = refusalOf(from.status as PvCaseStatus, step);
      if (refusal) throw new ActionRefused(refusal);
      const to = await apply(trx, from, now);
      if (!to) return null; // changed by someone else first: decide again on fresh state
      await also?.(trx, to, now);
      await recordAudit(trx, { actor, action, mentionId: to.mention_id, before: { status: from.status }, after: { caseId, status: to.status, ...detail(to) } }, now);
      await refreshPvMessage(trx, to, now);
      await refreshRepCard(trx, to.mention_id, now, { actor, status: line(to), key: `case:${to.id}:${to.status}` });
      return to;
    });
    if (result) {
      ctx.kickOutbox();
      return result;
    }
    if (attempt >= MAX_ATTEMPTS) throw new ActionRefused('Someone else is changing this case right now. Please try again.');
  }
}

async function refreshPvMessage(trx: Trx, c: PvCaseRow, now: Date): Promise<void> {
  if (c.pv_channel && c.pv_ts) {
    await queuePvCaseUpdate(trx, { caseId: c.id, channel: c.pv_channel, ts: c.pv_ts, version: c.version }, now);
  }
}

export const acknowledge = (ctx: ServiceContext, caseId: number, actor: string) =>
  decide(ctx, caseId, actor, 'acknowledge', 'pv.acknowledged', (trx, from, now) => acknowledgePvCase(trx, from, actor, now), (to) => ({ acknowledgedAt: to.acknowledged_at }), () => 'PV acknowledged the possible adverse event');

export function closeAsNotAdverseEvent(ctx: ServiceContext, caseId: number, actor: string, reason: string): Promise<PvCaseRow> {
  const why = reason.trim();
  if (!why) throw new ActionRefused('Say why the post is not an adverse event.');
  if (why.length > NOT_AE_REASON_MAX) throw new ActionRefused(`Keep the reason under ${NOT_AE_REASON_MAX} characters.`);
  return decide(
    ctx,
    caseId,
    actor,
    'not_ae',
    'pv.not_adverse_event',
    (trx, from, now) => closePvCaseAsNotAdverseEvent(trx, from, actor, why, now),
    (to) => ({ reason: why, acknowledgedAt: to.acknowledged_at, labelCorrection: { field: 'adverse_event', predicted: true, corrected: false } }),
    () => `PV closed the case: not an adverse event (${why.slice(0, 300)})`,
    // PV's judgement is also a label for the classifier: flagged (by it or a rep), and not an AE.
    async (trx, to, now) => {
      await recordLabelCorrection(trx, { mentionId: to.mention_id, field: 'adverse_event', predicted: true, corrected: false, by: actor, at: now });
      await setAdverseEventFlag(trx, to.mention_id, false);
    },
  );
}

export function recordReported(ctx: ServiceContext, caseId: number, actor: string, safetyCaseId: string): Promise<PvCaseRow> {
  const id = safetyCaseId.trim();
  if (!id) throw new ActionRefused('Enter the safety database case id.');
  if (id.length > SAFETY_CASE_ID_MAX) throw new ActionRefused(`A safety database case id has at most ${SAFETY_CASE_ID_MAX} characters.`);
  return decide(
    ctx,
    caseId,
    actor,
    'reported',
    'pv.reported',
    (trx, from, now) => markPvCaseReported(trx, from, actor, id, now),
    (to) => ({ safetyCaseId: id, acknowledgedAt: to.acknowledged_at }),
    () => `PV reported it to the safety database, case ${id}`,
  );
}

/**
 * Escalates every open case past its deadline, once: the claim on the case and the queued
 * thread reply and DM commit together, so a restart or a second instance cannot say it twice.
 */
export async function escalateOverdueCases(ctx: ServiceContext, limit = 100): Promise<number> {
  const now = ctx.now();
  const due = await overduePvCases(ctx.db.kysely, now, limit);
  if (due.length === 0) return 0;
  let escalated = 0;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    for (const c of due) {
      if (!(await claimPvEscalation(trx, c.id, now))) continue;
      const owner = escalationRecipient(c.assignee, c.owner_slack_id);
      await queuePvEscalation(trx, { caseId: c.id, channel: c.pv_channel!, threadTs: c.pv_ts!, rep: owner }, now);
      await recordAudit(trx, { actor: SYSTEM_ACTOR, action: 'pv.escalated', mentionId: c.mention_id, after: { caseId: c.id, deadlineAt: c.deadline_at, toldRep: owner } }, now);
      const updated = await findPvCase(trx, c.id);
      if (updated) await refreshPvMessage(trx, updated, now);
      await refreshRepCard(trx, c.mention_id, now, { actor: SYSTEM_ACTOR, status: 'PV has not acknowledged this possible adverse event by its deadline', key: `case:${c.id}:escalated` });
      escalated++;
    }
  });
  if (escalated) ctx.kickOutbox();
  return escalated;
}

/**
 * Before PV's modal opens (inside Slack's 3-second trigger window): the author to name in it,
 * or the refusal when the step no longer applies, so PV does not type a reason for nothing.
 */
export async function prepareDecision(ctx: ServiceContext, caseId: number, step: PvStep): Promise<{ author: string }> {
  const c = await findPvCase(ctx.db.kysely, caseId);
  if (!c) throw new PvCaseNotFound(caseId);
  const refusal = refusalOf(c.status as PvCaseStatus, step);
  if (refusal) throw new ActionRefused(refusal);
  const m = await findMention(ctx.db.kysely, c.mention_id);
  if (!m) throw new MentionNotFound(c.mention_id);
  return { author: m.author_name ?? `@${m.author_handle}` };
}
