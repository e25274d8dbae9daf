import { HOW_TO_REFER_WITHOUT_CHANNEL, UNKNOWN_QUESTION } from '../domain/medical-referral';
import { parseClassification } from '../domain/pv-case';
import { recordAudit } from '../store/audit';
import { markReferralAnswered, findReferral, findReferralOfMention, referQuestion } from '../store/medical-referrals';
import { findMention } from '../store/mentions';
import { queueMedicalReferral, queueMedicalReferralUpdate } from '../store/outbox';
import type { MedicalReferralRow } from '../store/schema';
import { ActionRefused, MentionNotFound } from './card-actions';
import { refreshRepCard } from './card-refresh';
import type { ServiceContext } from './context';

/**
 * Medical questions go to Medical Information, never answered by the rep: the referral posts
 * to MEDICAL_CHANNEL_ID and Medical marks it answered. Each step is one transaction with its
 * audit entry and the Slack effects queued in the outbox.
 */
export class ReferralNotFound extends Error {
  constructor(readonly referralId: number) {
    super(`referral ${referralId} no longer exists`);
  }
}

/** The rep's **Refer to Medical Information**; without the channel, tells the rep how to refer. */
export async function referToMedicalInformation(ctx: ServiceContext, mentionId: number, actor: string): Promise<MedicalReferralRow> {
  const channel = ctx.config.channels.medical;
  if (!channel) throw new ActionRefused(HOW_TO_REFER_WITHOUT_CHANNEL);
  const now = ctx.now();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    const question = parseClassification(m.classification)?.medicalQuestion?.summary ?? UNKNOWN_QUESTION;
    const referred = await referQuestion(trx, { mentionId, question, referredBy: actor, channel }, now);
    if (!referred) {
      const existing = await findReferralOfMention(trx, mentionId);
      throw new ActionRefused(`This question was already referred to Medical Information${existing ? ` by <@${existing.referred_by}>` : ''}.`);
    }
    await queueMedicalReferral(trx, { referralId: referred.id, channel }, now);
    await recordAudit(trx, { actor, action: 'medical.referred', mentionId, after: { referralId: referred.id, question, channel } }, now);
    await refreshRepCard(trx, mentionId, now, { actor, status: `referred the question to Medical Information: ${question}`, key: `referral:${referred.id}` });
    return referred;
  });
  ctx.kickOutbox();
  return row;
}

/** Medical's **Answered**: the referral and the rep's card say who answered and when. */
export async function markAnswered(ctx: ServiceContext, referralId: number, actor: string): Promise<MedicalReferralRow> {
  const now = ctx.now();
  const row = await ctx.db.kysely.transaction().execute(async (trx) => {
    const from = await findReferral(trx, referralId);
    if (!from) throw new ReferralNotFound(referralId);
    if (from.status === 'answered') throw new ActionRefused(`This question was already answered${from.answered_by ? ` by <@${from.answered_by}>` : ''}.`);
    const to = await markReferralAnswered(trx, from, actor, now);
    if (!to) throw new ActionRefused('This question was answered a moment ago by someone else.');
    await recordAudit(trx, { actor, action: 'medical.answered', mentionId: to.mention_id, before: { status: from.status }, after: { referralId, status: to.status, answeredAt: to.answered_at } }, now);
    if (to.ts) await queueMedicalReferralUpdate(trx, { referralId: to.id, channel: to.channel, ts: to.ts, version: to.version }, now);
    await refreshRepCard(trx, to.mention_id, now, { actor, status: 'Medical Information answered the question', key: `referral:${to.id}:answered` });
    return to;
  });
  ctx.kickOutbox();
  return row;
}
