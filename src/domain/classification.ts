import type { Sentiment } from './mention';

/**
 * What the classifier says about one post, in explainable stages. This is the one shape the
 * rest of the product reads (the card, PV and Medical, the advice, the eval): a stage may
 * change how it decides, never what it returns. Stored whole as JSON on the mention.
 */
export type Language = 'en' | 'fr' | 'de' | 'es';
export type PostKind = 'question' | 'news' | 'case_report' | 'opinion';
/** What the post is about, as far as the rep's advice goes. */
export type PostTopic = 'access_complaint' | 'access_win' | 'efficacy_doubt' | 'safety_worry' | 'praise' | 'other';
export type MedicalTopic = 'dosing' | 'administration' | 'population' | 'indication' | 'combination';

/** Words of the post that decided a stage, and the reason in a rep's words. */
export interface Cue {
  /** The words as they stand in the post (never rewritten). */
  words: string;
  /** Why they count, e.g. "question about dosing", "harm after starting Velorixan". */
  reason: string;
}

/** One of the four elements a valid adverse-event report needs; null when not found. */
export type ReportElement = Cue | null;

export interface AdverseEventFinding {
  possible: boolean;
  /** Identifiable patient, identifiable reporter, suspect product, adverse event. */
  elements: { patient: ReportElement; reporter: ReportElement; product: ReportElement; event: ReportElement };
  cues: Cue[];
}

export interface MedicalQuestionFinding {
  topic: MedicalTopic;
  /** What the post asks, for the card and the referral: "Question about dosing in children". */
  summary: string;
  cues: Cue[];
}

export interface Classification {
  language: Language;
  kind: PostKind;
  topic: PostTopic;
  /** Whether the stance is about our product (false: aimed at something else, so neutral). */
  aboutProduct: boolean;
  stance: Sentiment;
  /** -1 (most negative) to +1 (most positive). */
  score: number;
  /** The evidence is weak or conflicting: the card asks the rep to choose. */
  unsure: boolean;
  stanceCues: Cue[];
  adverseEvent: AdverseEventFinding;
  medicalQuestion: MedicalQuestionFinding | null;
}

export interface ClassifyOptions {
  /** The product the mention names (the webhook's `product`), if any. */
  product?: string | null;
  /** Other names of that product (its generic name), so "on lorixatinib" counts as ours. */
  aliases?: readonly string[];
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'French', de: 'German', es: 'Spanish' };
export const languageName = (l: Language) => LANGUAGE_NAMES[l];

let classifier: typeof import('./classifier') | undefined;

/**
 * Classifies one post in explainable stages (src/domain/classifier): language, medical
 * question, post kind, adverse event, stance. Pure and synchronous.
 */
export function classifyPost(text: string, options: ClassifyOptions = {}): Classification {
  // Loaded on first use: the bot classifies in a worker thread (src/services/classifier-pool.ts)
  // and its main thread, which reads this module's types and names to render cards, would
  // otherwise hold the classifier's weights (megabytes of JSON) for nothing.
  classifier ??= require('./classifier') as typeof import('./classifier');
  return classifier.classify(text, options);
}
