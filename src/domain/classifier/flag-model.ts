import { type PackedWeights, tokens, weightRows } from './text';

/**
 * A binary logistic regression over a post's words and word pairs (plus named features a
 * stage adds), trained by `npm run train` (scripts/train-flags.ts) and shipped as JSON beside
 * this file. Used where hand-written rules alone cannot reach the target: literature case
 * reports (ADE-Corpus-V2 style), whose harm and causal wording is far wider than any list.
 * Pure: the weights are imported statically, nothing is read at run time.
 */
export interface FlagWeights {
  bias: number;
  /** Phrases learned from the training data's annotations, each standing for its class token. */
  lexicon?: Record<string, string[]>;
  /** Probability at or above which the flag is raised (chosen by cross-validation). */
  threshold: number;
  /** Packed as shipped, or by feature as trained in memory. */
  weights: Record<string, number> | PackedWeights;
  meta: Record<string, unknown>;
}

/**
 * Drug names are open-ended (every product we will ever see is new), so a word shaped like an
 * international non-proprietary name becomes the token <drug>: the model learns "<drug>-induced"
 * once rather than per drug. Numbers become <num>.
 */
const DRUG_STEM =
  /^[a-z]{3,}(?:mab|nib|tinib|ciclib|parib|vir|cillin|mycin|micin|cycline|floxacin|pril|sartan|statin|olol|azole|oxetine|triptyline|pramine|azepam|azolam|zepine|apine|idone|peridol|tidine|prazole|parin|platin|taxel|rubicin|trexate|fenac|profen|coxib|gliptin|glutide|gliflozin|formin|thiazide|semide|dipine|lukast|terol|sone|olone|cept|plase|tide|caine|bital|dronate|phylline|setron|triptan|vudine|navir|previr|asvir|buvir|mustine|tecan|poside|cristine|rabine|citabine|uracil|limus|sporin|arone|amine|idine|oxin|quine|azepine|barbital|ium|amide|imod|entan|iprazole|prazole)$/;

export function flagTokens(text: string, isOurs: (w: string) => boolean = () => false): string[] {
  return tokens(text).map((t) => (/^\d/.test(t) ? '<num>' : isOurs(t) ? '<drug>' : DRUG_STEM.test(t) ? '<drug>' : t));
}

/** Words and adjacent word pairs, each once. */
export function ngramFeatures(toks: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    out.add(`w:${toks[i]}`);
    if (i > 0) out.add(`b:${toks[i - 1]}_${toks[i]}`);
  }
  return [...out];
}

export function flagProbability(w: FlagWeights, features: readonly string[]): number {
  const { index, values } = weightRows(w.weights);
  let z = w.bias;
  for (const f of features) {
    const at = index.get(f);
    if (at !== undefined) z += values[at]!;
  }
  return 1 / (1 + Math.exp(-z));
}

/** The features that pushed hardest toward the flag, for the card's cues. */
export function topFeatures(w: FlagWeights, features: readonly string[], n = 3): string[] {
  const { index, values } = weightRows(w.weights);
  return features
    .map((f) => {
      const at = index.get(f);
      return [f, at === undefined ? 0 : values[at]!] as const;
    })
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([f]) => f);
}

/** A phrase lexicon ready for matching: each phrase (as flag tokens joined by spaces) → its class token. */
export interface PhraseLexicon {
  phrases: Map<string, string>;
  /** First words of the phrases longer than one word, and the longest such phrase. */
  starts: Set<string>;
  longest: number;
}
export function phraseLexicon(lexicon: Record<string, string[]> = {}): PhraseLexicon {
  const phrases = new Map<string, string>();
  const starts = new Set<string>();
  let longest = 1;
  for (const [cls, list] of Object.entries(lexicon)) {
    for (const p of list) {
      if (!phrases.has(p)) phrases.set(p, cls);
      const parts = p.split(' ');
      if (parts.length > 1) starts.add(parts[0]!);
      longest = Math.max(longest, parts.length);
    }
  }
  return { phrases, starts, longest: Math.min(longest, 5) };
}

/** Replaces known phrases (longest first) by their class token ("<drug>", "<harm>"). */
export function tagPhrases(toks: readonly string[], lex: PhraseLexicon): string[] {
  if (!lex.phrases.size) return [...toks];
  const out: string[] = [];
  for (let i = 0; i < toks.length; ) {
    let matched = 0;
    let cls = '';
    if (lex.starts.has(toks[i]!)) {
      for (let n = Math.min(lex.longest, toks.length - i); n >= 2; n--) {
        const c = lex.phrases.get(toks.slice(i, i + n).join(' '));
        if (c) {
          matched = n;
          cls = c;
          break;
        }
      }
    }
    if (!matched) {
      const c = lex.phrases.get(toks[i]!);
      if (c) {
        matched = 1;
        cls = c;
      }
    }
    if (matched) {
      out.push(cls);
      i += matched;
    } else out.push(toks[i++]!);
  }
  return out;
}
