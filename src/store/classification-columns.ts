import type { Classification } from '../domain/classification';

/**
 * The mention columns that hold a classification: the whole answer as JSON, and the flags
 * and labels that queries and older readers use, kept in step with it. A module of its own,
 * free of the query builder: the classifier's worker thread (src/services/classifier-pool.ts)
 * makes these columns, so that the main thread receives strings and numbers, not an object
 * graph to serialise again.
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

export type ClassificationColumns = ReturnType<typeof classificationColumns>;

/**
 * What a received mention holds until its classification is written (the columns are NOT
 * NULL). Never shown: every list and count leaves received mentions out, and nothing is
 * queued for them before they open.
 */
export const UNCLASSIFIED_COLUMNS = {
  classification: null,
  sentiment: 'neutral',
  sentiment_score: 0,
  sentiment_cues: '[]',
  adverse_event: 0,
  adverse_event_cues: JSON.stringify({ harm: [], product: [], patient: [], link: [] }),
  medical_question: 0,
} as const satisfies Record<keyof ClassificationColumns, unknown>;
