import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import type { Classification, ClassifyOptions, Cue, PostTopic } from '../classification';
import { SENTIMENTS, type Sentiment } from '../mention';
import { detectAdverseEvent } from './adverse-event';
import { detectKind } from './kind';
import { detectLanguage } from './language';
import { detectMedicalQuestion } from './medical-question';
import { decide, generalFeatures, isDrugLike, predict, wordFeatures, type Prediction, type StanceWeights, type VaderScores } from './model';
import { products as productsOf, type Products } from './products';
import { polarity } from './polarity';
import { measure, type Measured } from './stance-features';
import { decodeEntities, escapeRegExp, sentenceAround, sentences, test, words } from './text';
import general from './general-weights.json';
import trained from './stance-weights.json';
import lexicon from './vader-words.json';

/**
 * The classifier, stage by stage: language → medical question → post kind → adverse event →
 * stance features → stance. Each stage returns the words that decided it; the card shows
 * them in a rep's words. Pure and synchronous; nothing is read from disk at run time.
 */

const WEIGHTS = trained as unknown as StanceWeights;
const GENERAL = general as unknown as StanceWeights;
const LEXICON = lexicon.words as Record<string, number>;

/**
 * Posts about a product (the sender names one, or the text talks drugs and patients) get the
 * clinical stance model; anything else is everyday chatter, read by the general model over
 * VADER's scores (general-weights.json).
 */
const CLINICAL_CONTEXT = words([
  'pts', 'patients?', 'patiente?', 'paciente', 'patientin', 'dose', 'dosing', 'mg', 'prescri\\w*', 'ecg', 'side effects?', '\\p{L}+(?:mab|nib|tinib|pril|sartan|gliflozin)',
]);
/**
 * Words with an everyday sense too ("trial and error", "lived up to its label", "12 pt font",
 * "the chem lab"): clinical context only when two of them, or one with a word above, meet.
 */
const EVERYDAY_OR_CLINICAL = words(['pt', 'trials?', 'label', 'clinic', 'labs?']);
const clinicalContext = (text: string): boolean => {
  if (test(CLINICAL_CONTEXT, text)) return true;
  EVERYDAY_OR_CLINICAL.lastIndex = 0;
  const seen = new Set((text.match(EVERYDAY_OR_CLINICAL) ?? []).map((w) => w.toLowerCase()));
  return seen.size >= 2;
};

export interface Analysis {
  text: string;
  products: Products;
  clinical: boolean;
  language: Classification['language'];
  languageCues: Cue[];
  kind: Classification['kind'];
  kindCues: Cue[];
  adverseEvent: Classification['adverseEvent'];
  medicalQuestion: Classification['medicalQuestion'];
  /** VADER's scores (English everyday posts only: the general path), else null. */
  vader: VaderScores | null;
  measured: Measured;
  /** The clinical stance model's word features, built on first read: the general path never reads them. */
  readonly words: string[];
}

/**
 * A post that comes with no product (forwarded in Slack, logged by hand) is about ours by the
 * rep's judgement, so each verdict in it counts as aimed at ours unless it names something else;
 * matching no name, every verdict read as aimed elsewhere ("Disappointed: discontinued Zentiva
 * due to nausea" came out Neutral).
 */
const ABOUT_OURS = (): boolean => true;

/** Every stage but the stance decision: what `npm run train` learns the stance from. */
export function analyse(rawText: string, options: ClassifyOptions = {}): Analysis {
  const text = decodeEntities(rawText);
  const products = productsOf(options.product ?? null, [...(options.aliases ?? []), ...inferredAlias(text, options)]);
  const spans = sentences(text);
  const lang = detectLanguage(text);
  const medicalQuestion = detectMedicalQuestion(text, spans);
  const kind = detectKind(text, spans, medicalQuestion !== null);
  const adverseEvent = detectAdverseEvent({ text, products, spans });
  const clinical = products.given || products.mentionedIn(text) || clinicalContext(text);
  // VADER proper only reads everyday posts (the general path); clinical posts get the polarity stage.
  const vader = !clinical && lang.language === 'en' ? SentimentIntensityAnalyzer.polarity_scores(text) : null;
  const measured = measure({ text, language: lang.language, kind: kind.kind, adverseEvent: adverseEvent.possible, medicalQuestion: medicalQuestion !== null, vader: vader?.compound ?? null, namesOurs: products.pattern ? (t) => products.mentionedIn(t) : ABOUT_OURS, isOurs: (w) => products.isOurs(w) });
  return {
    text,
    products,
    clinical,
    language: lang.language,
    languageCues: lang.cues,
    kind: kind.kind,
    kindCues: kind.cues,
    adverseEvent,
    medicalQuestion,
    vader,
    measured,
    // Everyday posts are read by the general model, which has no word features: building them
    // (tokens, letter grams, a Set) was about a tenth of such a post's time, thrown away.
    get words() {
      const value = wordFeatures(text, products);
      Object.defineProperty(this, 'words', { value, enumerable: true });
      return value;
    },
  };
}

/**
 * The sender says the post is about a product; when the post never uses that name, the drug it
 * names first (by its INN stem) is taken as the product's generic name ("on lorixatinib" in a
 * Velorixan mention).
 */
function inferredAlias(text: string, options: ClassifyOptions): string[] {
  const name = options.product?.trim();
  if (!name || productsOf(name, options.aliases ?? []).mentionedIn(text)) return [];
  const drug = (text.match(/[\p{L}]{4,}/gu) ?? []).find(isDrugLike);
  return drug ? [drug] : [];
}

export const UNSURE_MARGIN = 0.15;
/** Below this probability for the winning stance (three classes) the card asks the rep. */
export const UNSURE_FLOOR = 0.55;

export function classify(rawText: string, options: ClassifyOptions = {}): Classification {
  const a = analyse(rawText, options);
  let stance: Sentiment;
  let score: number;
  let unsure: boolean;
  let stanceCues: Cue[] = [];
  if (!a.clinical && a.vader !== null) {
    const p = predict(GENERAL, generalFeatures(a.text, a.vader, LEXICON), []);
    const ranked = [...SENTIMENTS].sort((x, y) => p.probabilities[y] - p.probabilities[x]);
    stance = ranked[0]!;
    score = a.vader.compound;
    unsure = p.probabilities[ranked[0]!] - p.probabilities[ranked[1]!] < UNSURE_MARGIN;
    stanceCues = [{ words: '', reason: stance === 'neutral' ? 'no clear positive or negative wording' : `${stance} wording` }];
    const strongest = polarity(a.text, 'en').cues.find((c) => c.reason === `${stance} wording`);
    if (strongest) stanceCues = [{ words: strongest.words, reason: `${capital(stance)} wording` }];
  } else {
    const p = predict(WEIGHTS, a.measured.features, a.words);
    const ranked = [...SENTIMENTS].sort((x, y) => p.probabilities[y] - p.probabilities[x]);
    const decided = decide(p.probabilities, a.measured.features);
    stance = decided.stance;
    const [p1, p2] = [p.probabilities[ranked[0]!], p.probabilities[ranked[1]!]];
    unsure = decided.overruled || decided.weak || p1 < UNSURE_FLOOR || p1 - p2 < UNSURE_MARGIN;
    score = Math.round((p.probabilities.positive - p.probabilities.negative) * 1000) / 1000;
    const k = SENTIMENTS.indexOf(stance);
    // The features that pushed hardest toward the chosen stance, in the post's own words.
    const toward: (Prediction['contributions'][number] & { margin: number })[] = [];
    for (const c of p.contributions) {
      let other = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < c.push.length; j++) if (j !== k && c.push[j]! > other) other = c.push[j]!;
      const margin = c.push[k]! - other;
      if (margin > 0.05) toward.push({ ...c, margin });
    }
    toward.sort((x, y) => y.margin - x.margin);
    const seen = new Set<string>();
    let quotedSentence = false;
    for (const c of toward) {
      if (stanceCues.length >= 4) break;
      // "Aimed at something else" explains a neutral stance, not a verdict.
      if (c.feature === 'fam:other_target' && stance !== 'neutral') continue;
      const fromFamily = a.measured.cues[c.feature];
      if (fromFamily?.length) {
        const cue = fromFamily[0]!;
        const key = cue.words.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        stanceCues.push({ words: cue.words, reason: capital(cue.reason) });
      } else if (c.feature.startsWith('kind:')) {
        const kc = a.kindCues[0];
        if (kc && !seen.has(kc.words.toLowerCase()) && (c.feature === 'kind:news' || c.feature === 'kind:question')) {
          seen.add(kc.words.toLowerCase());
          stanceCues.push({ words: kc.words, reason: `${capital(kc.reason)}, not a verdict on the product` });
        }
      } else if (c.feature === 'ae' && a.adverseEvent.elements.event) {
        // Once per quote: "creat 1.3 -> 2.6" is a harm and a worse number, one line on the card.
        const key = a.adverseEvent.elements.event.words.toLowerCase();
        if (seen.has(key)) continue;
        seen.add(key);
        stanceCues.push({ words: a.adverseEvent.elements.event.words, reason: 'A harm on the product' });
      } else if (c.feature.startsWith('w:')) {
        const w = c.feature.slice(2);
        // Words the model weighed are a weak explanation: only when nothing better was found, and
        // never a filler word, a class token ("<drug>") or a word read inside a negation's scope
        // ("¬the"): the card quotes the post, and those are the model's marks. A word alone
        // ("Monaten", "consulta", "today") tells a rep nothing, so the card quotes the sentence
        // holding the word that weighed most ("-22 kg in 10 Monaten"), once.
        if (quotedSentence || stanceCues.length >= 2 || w.startsWith('<') || w.startsWith('¬') || w.length < 4 || FILLER.has(w) || seen.has(w)) continue;
        const at = wordAt(a.text, w);
        if (at < 0) continue;
        const sentence = sentenceAround(a.text, at, 90);
        // Not the sentence another cue already quotes ("A question …: 'Can we add X…'").
        if (seen.has(sentence.toLowerCase()) || stanceCues.some((q) => q.words.length >= 20 && overlaps(q.words, sentence))) continue;
        seen.add(w);
        seen.add(sentence.toLowerCase());
        quotedSentence = true;
        stanceCues.push({ words: sentence, reason: `Reads ${stance} in clinicians' posts` });
      }
    }
    stanceCues = oncePerQuote(stanceCues);
    if (!stanceCues.length) stanceCues.push({ words: '', reason: stance === 'neutral' ? 'no clear verdict on the product' : `${stance} overall` });
    if (unsure) stanceCues.push({ words: '', reason: 'weak or conflicting evidence: please check' });
  }
  const f = a.measured.features;
  const aboutProduct = !(f['fam:other_target'] && stance === 'neutral' && (f['fam:criticism'] || f['fam:praise'] || f['fam:sarcasm'] || f['fam:access_complaint']));
  return {
    language: a.language,
    kind: a.kind,
    topic: topicOf(stance, f, a.adverseEvent.possible),
    aboutProduct,
    stance,
    score,
    unsure,
    stanceCues: [...a.languageCues.slice(0, 1), ...stanceCues.filter((c) => c.words || c.reason)],
    adverseEvent: a.adverseEvent,
    medicalQuestion: a.medicalQuestion,
  };
}

/** Whether two quotes share their text, one inside the other (a clipped quote's "…" aside). */
function overlaps(a: string, b: string): boolean {
  const [x, y] = [a, b].map((q) => q.toLowerCase().replace(/…$/, ''));
  return x!.includes(y!) || y!.includes(x!);
}

/**
 * One cue per piece of the post: when two quotes overlap ("Tolerating well, sure" as sarcasm and
 * as a sign-off; "Has anyone else seen" inside the sentence quoted for the model's words), the
 * first stays, except that a sentence quoted for the model's words gives way to a stage's cue.
 */
function oncePerQuote(cues: Cue[]): Cue[] {
  const forWords = (c: Cue) => /in clinicians' posts$/.test(c.reason);
  const kept: Cue[] = [];
  for (const c of cues) {
    const i = c.words ? kept.findIndex((k) => k.words !== '' && overlaps(k.words, c.words)) : -1;
    if (i < 0) kept.push(c);
    else if (forWords(kept[i]!) && !forWords(c)) kept[i] = c;
  }
  return kept;
}

/**
 * Where a word the model weighed stands in the post as a whole word (not inside "thereafter",
 * not a hashtag: "#LCSM" alone explains nothing), or -1.
 */
function wordAt(text: string, word: string): number {
  const m = new RegExp(`(?<![\\p{L}\\p{N}#])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'iu').exec(text);
  return m ? m.index : -1;
}

const FILLER = new Set(['this', 'that', 'with', 'your', 'have', 'from', 'what', 'they', 'were', 'been', 'week', 'weeks', 'month', 'months', 'patient', 'patients', 'dans', 'pour', 'avec', 'chez', 'mein', 'meine', 'unter', 'nach', 'para', 'como', 'pero', 'está', 'getting', 'about', 'just', 'still', 'when', 'there']);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function topicOf(stance: Sentiment, f: Record<string, number>, ae: boolean): PostTopic {
  if (f['fam:access_complaint'] && stance === 'negative') return 'access_complaint';
  if (f['fam:access_win'] && stance === 'positive') return 'access_win';
  if (stance === 'negative' && ae) return 'safety_worry';
  if (stance === 'negative' && (f['fam:method'] || f['fam:bad_outcome'] || f['fam:criticism'])) return 'efficacy_doubt';
  if (stance === 'positive') return 'praise';
  return 'other';
}
