import { detectAdverseEvent } from './adverse-event';
import type { Sentiment } from './mention';
import { classifySentiment } from './sentiment';
import { postTopicOf } from './post-topic';

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
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'French', de: 'German', es: 'Spanish' };
export const languageName = (l: Language) => LANGUAGE_NAMES[l];

const QUESTION = /\?|\b(?:has anyone|anyone (?:using|tried|seen)|thoughts)\b/i;
const MEDICAL_TOPICS: [MedicalTopic, RegExp, string][] = [
  ['population', /\b(?:child(?:ren)?|kids?|pediatric|paediatric|pregnan\w*|breastfeed\w*|elderly|ckd|egfr|dialysis|renal impairment)\b/i, 'in a special population'],
  ['combination', /\b(?:combin\w*|together with|alongside|interaction|interacts?|with (?:an? )?(?:ace inhibitor|ssri|statin|cyp3a4))\b/i, 'about a combination'],
  ['dosing', /\b(?:dos(?:e|es|ing|age)|titrat\w*|mg|how much)\b/i, 'about dosing'],
  ['administration', /\b(?:administ\w*|inject\w*|with food|crush\w*|infus\w*)\b/i, 'about administration'],
];

/**
 * Interim classifier: the landed sentiment and adverse-event rules, plus a simple
 * question-plus-topic rule for medical questions. The staged classifier replaces the body.
 */
export function classifyPost(text: string, options: ClassifyOptions = {}): Classification {
  const sentiment = classifySentiment(text);
  const adverse = detectAdverseEvent(text, options.product ? [options.product] : []);
  const first = (xs: string[]) => xs[0] ?? null;
  const el = (words: string | null, reason: string): ReportElement => (words ? { words, reason } : null);
  let medicalQuestion: MedicalQuestionFinding | null = null;
  if (QUESTION.test(text)) {
    for (const [topic, re, summary] of MEDICAL_TOPICS) {
      const m = re.exec(text);
      if (m) {
        medicalQuestion = { topic, summary: `Question ${summary}`, cues: [{ words: m[0], reason: `question ${summary}` }] };
        break;
      }
    }
  }
  return {
    language: 'en',
    kind: medicalQuestion ? 'question' : 'opinion',
    topic: postTopicOf(text, sentiment.label),
    aboutProduct: true,
    stance: sentiment.label,
    score: sentiment.score,
    unsure: Math.abs(sentiment.score) < 0.1,
    stanceCues: sentiment.cues.map((words) => ({ words, reason: 'sentiment word' })),
    adverseEvent: {
      possible: adverse.possible,
      elements: {
        patient: el(first(adverse.cues.patient), 'a patient'),
        reporter: { words: 'the post\'s author', reason: 'an HCP posting under their handle' },
        product: el(first(adverse.cues.product) ?? options.product ?? null, 'the suspect product'),
        event: el(first(adverse.cues.harm), 'a harm'),
      },
      cues: [...adverse.cues.harm, ...adverse.cues.link].map((words) => ({ words, reason: 'harm' })),
    },
    medicalQuestion,
  };
}
