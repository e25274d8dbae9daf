import type { Kysely } from 'kysely';
import type { Classification } from '../domain/classification';
import type { Database, HcpRow, MentionRow } from './schema';

type Q = Kysely<Database>;

export const findMention = (db: Q, id: number): Promise<MentionRow | undefined> =>
  db.selectFrom('mentions').selectAll().where('id', '=', id).executeTakeFirst();

export const findMentionByIdentity = (db: Q, source: string, externalId: string): Promise<MentionRow | undefined> =>
  db.selectFrom('mentions').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

export const findHcp = (db: Q, handle: string): Promise<HcpRow | undefined> =>
  db.selectFrom('hcps').selectAll().where('handle', '=', handle.toLowerCase()).executeTakeFirst();

/** Colleagues in the author's sphere of influence: same institution, else same specialty. */
export async function findSphere(db: Q, hcp: HcpRow, limit = 5): Promise<{ handle: string; name: string | null; why: string }[]> {
  const out: { handle: string; name: string | null; why: string }[] = [];
  if (hcp.institution) {
    const rows = await db
      .selectFrom('hcps')
      .select(['handle', 'name'])
      .where('institution', '=', hcp.institution)
      .where('handle', '!=', hcp.handle)
      .orderBy('target', 'desc')
      .orderBy('handle')
      .limit(limit)
      .execute();
    out.push(...rows.map((r) => ({ ...r, why: hcp.institution! })));
  }
  if (out.length < limit && hcp.specialty) {
    const rows = await db
      .selectFrom('hcps')
      .select(['handle', 'name'])
      .where('specialty', '=', hcp.specialty)
      .where('handle', '!=', hcp.handle)
      .orderBy('target', 'desc')
      .orderBy('handle')
      .limit(limit)
      .execute();
    for (const r of rows) if (out.length < limit && !out.some((o) => o.handle === r.handle)) out.push({ ...r, why: hcp.specialty! });
  }
  return out;
}

/**
 * The mention columns that hold a classification: the whole answer as JSON, and the flags
 * and labels that queries and older readers use, kept in step with it.
 */
export const classificationColumns = (c: Classification) => ({
  classification: JSON.stringify(c),
  sentiment: c.stance,
  sentiment_score: c.score,
  sentiment_cues: JSON.stringify(c.stanceCues.map((q) => q.words)),
  adverse_event: c.adverseEvent.possible ? 1 : 0,
  adverse_event_cues: JSON.stringify({
    harm: c.adverseEvent.elements.event ? [c.adverseEvent.elements.event.words] : [],
    product: c.adverseEvent.elements.product ? [c.adverseEvent.elements.product.words] : [],
    patient: c.adverseEvent.elements.patient ? [c.adverseEvent.elements.patient.words] : [],
    link: [],
  }),
  medical_question: c.medicalQuestion ? 1 : 0,
});

/**
 * Marks the mention changed by something kept outside its row (its PV case, its referral), so
 * its card is re-rendered under a new version and a card posted meanwhile is refreshed.
 */
export const bumpMentionVersion = (db: Kysely<Database>, mentionId: number, now: Date): Promise<MentionRow | undefined> =>
  db
    .updateTable('mentions')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now.toISOString() }))
    .where('id', '=', mentionId)
    .returningAll()
    .executeTakeFirst();

/** PV's judgement (or a rep's report to PV) overrides the detector's flag on the mention. */
export const setAdverseEventFlag = (db: Kysely<Database>, mentionId: number, possible: boolean) =>
  db.updateTable('mentions').set({ adverse_event: possible ? 1 : 0 }).where('id', '=', mentionId).execute();
