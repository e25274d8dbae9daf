import type { Kysely } from 'kysely';
import { SENTIMENTS } from '../domain/mention';
import type { Database } from './schema';

/**
 * A rep's correction of one of the classifier's labels. Every correction is a labelled example
 * from the team's own traffic: `npm run labels:export` writes them in the corpus format so the
 * classifier can be scored (and later tuned) on what the reps actually see.
 */
export const LABEL_FIELDS = ['stance', 'adverse_event', 'medical_question'] as const;
export type LabelField = (typeof LABEL_FIELDS)[number];

export interface LabelCorrection {
  mentionId: number;
  field: LabelField;
  /** What the classifier (or the previous correction) said: a sentiment for `stance`, a boolean for the flags. */
  predicted: string | boolean;
  corrected: string | boolean;
  /** Slack user id of the rep or PV/Medical colleague who corrected it. */
  by: string;
  at: Date | string;
}

/** The correction is not one the store can keep (unknown field, value not valid for it). */
export class InvalidLabelCorrection extends Error {}

function canonical(field: LabelField, value: string | boolean, which: string): string {
  if (field === 'stance') {
    if (typeof value === 'string' && (SENTIMENTS as readonly string[]).includes(value)) return value;
    throw new InvalidLabelCorrection(`${which} for stance must be one of ${SENTIMENTS.join(', ')}; got ${JSON.stringify(value)}`);
  }
  if (value === true || value === 'true') return 'true';
  if (value === false || value === 'false') return 'false';
  throw new InvalidLabelCorrection(`${which} for ${field} must be true or false; got ${JSON.stringify(value)}`);
}

/**
 * Stores one correction. Call it inside the transaction that changes the mention, so the
 * card and the labelled example never disagree. Throws InvalidLabelCorrection (nothing stored)
 * on a field or value that does not fit.
 */
export async function recordLabelCorrection(db: Kysely<Database>, c: LabelCorrection): Promise<void> {
  if (!(LABEL_FIELDS as readonly string[]).includes(c.field)) {
    throw new InvalidLabelCorrection(`field must be one of ${LABEL_FIELDS.join(', ')}; got ${JSON.stringify(c.field)}`);
  }
  const predicted = canonical(c.field, c.predicted, 'predicted');
  const corrected = canonical(c.field, c.corrected, 'corrected');
  if (!Number.isInteger(c.mentionId) || c.mentionId <= 0) throw new InvalidLabelCorrection(`mentionId must be a positive integer; got ${c.mentionId}`);
  if (!c.by) throw new InvalidLabelCorrection('by must name who corrected the label');
  const at = typeof c.at === 'string' ? new Date(c.at) : c.at;
  if (Number.isNaN(at.getTime())) throw new InvalidLabelCorrection(`at must be a date; got ${JSON.stringify(c.at)}`);
  await db
    .insertInto('label_corrections')
    .values({ mention_id: c.mentionId, field: c.field, predicted, corrected, corrected_by: c.by, at: at.toISOString() })
    .execute();
}

export interface CorrectedMention {
  mentionId: number;
  source: string;
  externalId: string;
  text: string;
  product: string | null;
  classification: string | null;
  sentiment: string;
  adverseEvent: boolean;
  medicalQuestion: boolean;
  /** The latest correction of each field, oldest field first. */
  corrections: { field: LabelField; predicted: string; corrected: string; by: string; at: string }[];
}

/**
 * Mentions with at least one correction at or after `since` (all when null), with every
 * correction of theirs in order: the export takes the last word on each field.
 */
export async function listLabelCorrections(db: Kysely<Database>, since: Date | null): Promise<CorrectedMention[]> {
  let q = db
    .selectFrom('label_corrections')
    .innerJoin('mentions', 'mentions.id', 'label_corrections.mention_id')
    .select([
      'label_corrections.id',
      'label_corrections.mention_id',
      'label_corrections.field',
      'label_corrections.predicted',
      'label_corrections.corrected',
      'label_corrections.corrected_by',
      'label_corrections.at',
      'mentions.source',
      'mentions.external_id',
      'mentions.text',
      'mentions.product',
      'mentions.classification',
      'mentions.sentiment',
      'mentions.adverse_event',
      'mentions.medical_question',
    ])
    .orderBy('label_corrections.at')
    .orderBy('label_corrections.id');
  if (since) q = q.where('label_corrections.at', '>=', since.toISOString());
  const rows = await q.execute();
  const byMention = new Map<number, CorrectedMention>();
  for (const r of rows) {
    let m = byMention.get(r.mention_id);
    if (!m) {
      m = {
        mentionId: r.mention_id,
        source: r.source,
        externalId: r.external_id,
        text: r.text,
        product: r.product,
        classification: r.classification,
        sentiment: r.sentiment,
        adverseEvent: r.adverse_event === 1,
        medicalQuestion: r.medical_question === 1,
        corrections: [],
      };
      byMention.set(r.mention_id, m);
    }
    m.corrections.push({ field: r.field as LabelField, predicted: r.predicted, corrected: r.corrected, by: r.corrected_by, at: r.at });
  }
  return [...byMention.values()];
}
