import { SENTIMENTS, type Sentiment } from '../mention';
import { type PackedWeights, tokens, weightMap, weightRows } from './text';
import type { Products } from './products';

/**
 * A multinomial logistic regression over the stance features and the post's words, trained
 * by `npm run train` on the HCP corpus's dev part only (never on the test part). The weights
 * ship as JSON beside this file and are imported statically: nothing is read at run time.
 */
export interface StanceWeights {
  classes: Sentiment[];
  bias: number[];
  /** One weight per class for each feature: packed as shipped, or by feature as trained in memory. */
  weights: Record<string, number[]> | PackedWeights;
  meta: Record<string, unknown>;
}

/**
 * Drug names by their INN stems (-mab, -tinib, -gliflozin…, the WHO's stem list): another drug
 * is "<drug>", so the model learns "switched to <drug>", not one product's rivals, and carries
 * over to products it never saw. Also how a generic name is told from other words.
 */
const STEMS = [
  'mab', 'cept', 'kinra', 'nib', 'ciclib', 'parib', 'lisib', 'degib', 'zomib', 'pril', 'sartan', 'sentan', 'dil', 'olol', 'dipine', 'statin', 'fibrate', 'xaban', 'gatran', 'parin', 'grel', 'gliflozin', 'glutide', 'lintide', 'gliptin', 'glitazone', 'glinide',
  'piprazole', 'peridone', 'apine', 'oxetine', 'faxine', 'pramine', 'azepam', 'zolam', 'gepant', 'triptan', 'ditan', 'orexant', 'imod', 'limus', 'sporine', 'trexate', 'platin', 'taxel', 'rubicin', 'tecan', 'lutamide', 'relix', 'steride',
  'begron', 'nurad', 'terol', 'tropium', 'lukast', 'sonide', 'olone', 'asone', 'setron', 'prazole', 'tidine', 'semide', 'thiazide', 'profen', 'coxib', 'dronate', 'vir', 'azole', 'conazole', 'fungin', 'mycin', 'cillin', 'cycline', 'oxacin', 'penem', 'bactam', 'siran', 'rsen', 'afil', 'caine',
];
const NOT_DRUGS = new Set(['concept', 'intercept', 'percept', 'pencil', 'council', 'until', 'fossil', 'nostril', 'ceil', 'utensil', 'daffodil', 'tendril', 'stencil', 'tonsil', 'basil', 'lentil', 'peril', 'april', 'virile', 'capsule', 'terrible', 'cocaine', 'novocaine']);
const STEM_RE = new RegExp(`^\\p{L}{3,}(?:${STEMS.join('|')})$`, 'u');
export const isDrugLike = (word: string): boolean => STEM_RE.test(word.toLowerCase()) && !NOT_DRUGS.has(word.toLowerCase());

const NEGATOR = /^(?:not|no|never|none|nothing|nobody|neither|nor|without|cannot|hardly|barely|\p{L}+n't|\p{L}+n’t|pas|jamais|sans|aucune?|ni|nicht|kein\p{L}*|nie|ohne|nunca|sin|ningún|ninguna|tampoco)$/u;

const GRAMS = new Map<string, readonly string[]>();
/**
 * A word's letter 5-grams as features ("<déçu", "nttäu"): French, German and Spanish inflect and
 * compound, so "enttäuscht"/"enttäuschend" or "décevant"/"décevante" share evidence that whole
 * words alone split across rarely seen forms (leave-one-product-out CV 0.823 → 0.836). Kept per
 * word: a feed repeats its vocabulary, and slicing every word of every post again cost as much as
 * the rest of the word features.
 */
function letterGrams(word: string, negated: boolean): readonly string[] {
  const key = negated ? `¬${word}` : word;
  let g = GRAMS.get(key);
  if (!g) {
    const w = `<${word}>`;
    const out: string[] = [];
    for (let k = 0; k + 5 <= w.length; k++) out.push(`${negated ? 'c:¬' : 'c:'}${w.slice(k, k + 5)}`);
    if (GRAMS.size >= 10_000) GRAMS.clear();
    GRAMS.set(key, (g = out));
  }
  return g;
}

/**
 * Words of the post as model features: our product's names "<product>", other drugs "<drug>",
 * numbers "<num>"; a word in a negation's scope (to the end of its clause) is marked "¬", so
 * "not impressed" and "impressed" are different evidence; and each word's letter 5-grams.
 */
export function wordFeatures(text: string, products: Products): string[] {
  const out = new Set<string>();
  for (const clause of text.toLowerCase().split(/[.!?;:\n,¿¡()]+|\s[-–—]\s|\bbut\b|\bmais\b|\baber\b|\bpero\b/u)) {
    let negated = false;
    let prev = '';
    for (const raw of tokens(clause)) {
      const t = /^\d/.test(raw) ? '<num>' : products.isOurs(raw) ? '<product>' : isDrugLike(raw) ? '<drug>' : raw;
      const isNeg = NEGATOR.test(t);
      const tok = negated && !isNeg ? `¬${t}` : t;
      out.add(`w:${tok}`);
      if (prev) out.add(`b:${prev}_${tok}`);
      prev = tok;
      if (isNeg) negated = true;
      // A word's letter grams share its negation scope: "nicht überzeugt" is not "überzeugt".
      if (t.length >= 4 && t.charCodeAt(0) !== 60) for (const g of letterGrams(t, negated && !isNeg)) out.add(g);
    }
  }
  return [...out];
}

export interface Prediction {
  probabilities: Record<Sentiment, number>;
  /** Each feature's push toward each class, for the cues. */
  contributions: { feature: string; value: number; push: number[] }[];
}

export function predict(weights: StanceWeights, features: Record<string, number>, wordFeats: string[]): Prediction {
  const z = [...weights.bias];
  const contributions: Prediction['contributions'] = [];
  const { index, values, width } = weightRows(weights.weights);
  // Plain loops: this runs for every feature of every post (the classifier's hot path).
  const addFeature = (name: string, value: number) => {
    const at = index.get(name);
    if (at === undefined) return;
    const push = new Array<number>(width);
    for (let k = 0; k < width; k++) {
      push[k] = values[at + k]! * value;
      z[k]! += push[k]!;
    }
    contributions.push({ feature: name, value, push });
  };
  for (const [name, value] of Object.entries(features)) addFeature(name, value);
  // Letter grams ("c:…", a hundred or more a post) are summed into one contribution: none is a
  // cue a rep could read, and an object for each cost about a tenth of the classifier's time.
  let letters: number[] | null = null;
  for (const name of wordFeats) {
    if (name.charCodeAt(0) !== 99 || name.charCodeAt(1) !== 58) {
      addFeature(name, 1);
      continue;
    }
    const at = index.get(name);
    if (at === undefined) continue;
    letters ??= new Array<number>(width).fill(0);
    for (let k = 0; k < width; k++) {
      letters[k]! += values[at + k]!;
      z[k]! += values[at + k]!;
    }
  }
  if (letters) contributions.push({ feature: 'c:*', value: 1, push: letters });
  const max = Math.max(...z);
  const exp = z.map((x) => Math.exp(x - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probabilities = Object.fromEntries(weights.classes.map((c, k) => [c, exp[k]! / sum])) as Record<Sentiment, number>;
  for (const s of SENTIMENTS) probabilities[s] ??= 0;
  return { probabilities, contributions };
}

/** VADER's scores on a post, as vader-sentiment returns them. */
export interface VaderScores {
  compound: number;
  pos: number;
  neg: number;
  neu: number;
}

/**
 * Features of an everyday post (no product, no clinical words) for the general model: VADER's
 * compound cut into bands, its positive/negative shares, and how many lexicon words the post
 * has (a post with one faint word is more often read as neutral by people than by VADER).
 * Weights trained by `npm run train` on the even ids of the public VADER tweets only; the eval
 * scores the odd ids.
 */
export function generalFeatures(text: string, v: VaderScores, lexicon: Record<string, number>): Record<string, number> {
  const c = v.compound;
  const f: Record<string, number> = { c, pos: v.pos, neg: v.neg, neu: v.neu, abs: Math.abs(c), c2: c * c, mixed: Math.min(v.pos, v.neg) };
  for (const t of [-0.8, -0.5, -0.3, -0.15, -0.05, 0.05, 0.15, 0.3, 0.5, 0.8]) f[`c>${t}`] = c > t ? 1 : 0;
  if (c === 0) f.zero = 1;
  if (/[?¿]/.test(text)) f.q = 1;
  if (/!/.test(text)) f.ex = 1;
  f.len = Math.min(text.length, 140) / 140;
  const vs: number[] = [];
  const words = weightMap(lexicon);
  for (const t of tokens(text)) {
    const x = words.get(t);
    if (x) vs.push(x);
  }
  f.nlex = Math.min(vs.length, 5) / 5;
  f.maxp = Math.max(0, ...vs) / 4;
  f.minn = Math.min(0, ...vs) / 4;
  if (!vs.length) f.nolex = 1;
  if (/[A-Z]{3,}/.test(text)) f.caps = 1;
  if (/[:;]-?[)(DP]|[\u{1F300}-\u{1FAFF}]/u.test(text)) f.emo = 1;
  if (/\b(?:lol|haha\w*|lmao)\b/i.test(text)) f.lol = 1;
  // Shapes of the post people read as neither (5-fold CV on the even ids, four fold splits,
  // macro-F1 at ±0.2: 0.751 → 0.755 with these four; 0.756 with l2 0.001): a link (a headline
  // or a share), a check-in or a retweet, headline Title Case, and a sad face VADER's word
  // list does not score ("=(", ":'(", ":/").
  if (/https?:\/\/|www\./i.test(text)) f.url = 1;
  if (/^(?:I'm at|RT\b)/i.test(text)) f.checkin = 1;
  if (SAD_FACE.test(text)) f.nemo = 1;
  let titled = 0, lettered = 0;
  for (const w of text.split(/\s+/)) {
    if (!/^[A-Za-z]/.test(w)) continue;
    lettered++;
    if (/^[A-Z][a-z]/.test(w)) titled++;
  }
  f.title = lettered ? titled / lettered : 0;
  return f;
}
const SAD_FACE = /[:;=]'?-?(?:[([|\\]|\/(?!\/))|[\u{1F612}\u{1F614}\u{1F61E}\u{1F620}-\u{1F62F}\u{1F44E}]/u;

/** Opinion families: when any of these fired, the post carries a verdict of its own. */
const VERDICT = ['fam:praise', 'fam:criticism', 'fam:sarcasm', 'fam:access_complaint', 'fam:access_win', 'fam:method'];

/**
 * The stance from the model's probabilities, with two rules on top. A post that asks colleagues
 * about what they have seen ("anyone else seen this?") and gives no verdict of its own (no
 * praise, criticism, sarcasm, access fight) is a question, and questions are neutral; the
 * model, which reads a harm as negative, is overruled there and the rep is asked to check. And
 * a hedged post with no evidence about the product is balanced, so neutral.
 */
export function decide(probabilities: Record<Sentiment, number>, features: Record<string, number>): { stance: Sentiment; overruled: boolean; weak: boolean } {
  const stance = SENTIMENTS.reduce((a, c) => (probabilities[c] > probabilities[a] ? c : a), 'neutral' as Sentiment);
  const weak = !Object.keys(features).some((f) => EVIDENCE.test(f));
  if (stance !== 'neutral' && features['fam:asks_peers'] && features['kind:question'] && !VERDICT.some((f) => features[f])) return { stance: 'neutral', overruled: true, weak };
  // Hedged ("time will tell") with no evidence about the product at all: a balanced post, and
  // balanced posts are neutral; the words alone (a start, a switch) do not make a verdict.
  if (stance !== 'neutral' && weak && features['fam:hedge']) return { stance: 'neutral', overruled: true, weak };
  return { stance, overruled: false, weak };
}

/**
 * Evidence about the product: a verdict, an outcome, a harm, an access fight, word polarity. A
 * post with none of it ("Started a few pts on it. Time will tell.") gives the model only its
 * kind and words to go on: weak evidence, so the card asks the rep.
 */
const EVIDENCE = /^(?:fam:(?:praise|criticism|good_outcome|bad_outcome|access_complaint|access_win|method|sarcasm|stopped|severe|not_the_drug|other_target)|change:|lex:(?:pos|neg)$|ae$|mq$|qmark$)/;
