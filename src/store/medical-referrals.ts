import type { Kysely, Transaction } from 'kysely';
import type { ReferralStatus } from '../domain/medical-referral';
import type { Database, MedicalReferralRow } from './schema';

/** Medical referrals: every query and state change of the medical_referrals table. */
type Q = Kysely<Database> | Transaction<Database>;

export const findReferral = (db: Q, id: number): Promise<MedicalReferralRow | undefined> =>
  db.selectFrom('medical_referrals').selectAll().where('id', '=', id).executeTakeFirst();

export const findReferralOfMention = (db: Q, mentionId: number): Promise<MedicalReferralRow | undefined> =>
  db.selectFrom('medical_referrals').selectAll().where('mention_id', '=', mentionId).executeTakeFirst();

/** Refers the mention's question; null when it was already referred (a mention is one referral). */
export async function referQuestion(
  trx: Q,
  r: { mentionId: number; question: string; referredBy: string; channel: string },
  now: Date,
): Promise<MedicalReferralRow | null> {
  const row = await trx
    .insertInto('medical_referrals')
    .values({
      mention_id: r.mentionId,
      status: 'referred' satisfies ReferralStatus,
      question: r.question,
      referred_by: r.referredBy,
      referred_at: now.toISOString(),
      channel: r.channel,
      version: 1,
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('mention_id').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** The referral is in the Medical channel. Returns its version. */
export async function recordReferralPosted(trx: Q, id: number, channel: string, ts: string, now: Date): Promise<number | null> {
  const row = await trx
    .updateTable('medical_referrals')
    .set({ channel, ts, posted_at: now.toISOString() })
    .where('id', '=', id)
    .where('ts', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Medical answered the question; null when it was already answered. */
export async function markReferralAnswered(trx: Q, from: MedicalReferralRow, actor: string, now: Date): Promise<MedicalReferralRow | null> {
  const row = await trx
    .updateTable('medical_referrals')
    .set({ status: 'answered' satisfies ReferralStatus, answered_by: actor, answered_at: now.toISOString(), version: from.version + 1, updated_at: now.toISOString() })
    .where('id', '=', from.id)
    .where('status', '=', 'referred' satisfies ReferralStatus)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Referrals made in [since, until), with their mention, for the PV report. */
export function referralsBetween(db: Q, since: Date, until: Date | null) {
  let q = db
    .selectFrom('medical_referrals as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .select(['r.id', 'r.mention_id', 'r.status', 'r.question', 'r.referred_by', 'r.referred_at', 'r.answered_by', 'r.answered_at', 'm.url', 'm.author_handle'])
    .where('r.referred_at', '>=', since.toISOString())
    .orderBy('r.referred_at')
    .orderBy('r.id');
  if (until) q = q.where('r.referred_at', '<', until.toISOString());
  return q.execute();
}
