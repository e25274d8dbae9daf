/**
 * npm run train (first: no other model reads these), or on its own:
 *   tsx scripts/train-general.ts [--only ade|tweets] [--cv [--nested]]
 *
 * The two models trained on public data, each deterministic (same data, same weights), each
 * tuned only by cross-validation inside its training half; the other half stays held out
 * for `npm run eval`:
 * - ade-weights.json: literature sentences that name no product of ours (literature-ade.ts),
 *   from ADE-Corpus-V2's EVEN PubMed ids only, 5-fold CV grouped by PubMed id; the threshold
 *   is the highest whose CV recall reaches ADE_RECALL_AIM (0.84: see there).
 * - general-weights.json: everyday posts (no product, no clinical words), over VADER's scores,
 *   from the public VADER tweets' EVEN ids only, 5-fold CV for the figures.
 * Their data live outside the repository (EVAL_DATA_DIR, default ../shared/data); without them
 * the shipped weights are kept. `--cv` prints the cross-validated figures and writes nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import { detectAdverseEvent as detectCaseReportHarm } from '../src/domain/adverse-event';
import { flagTokens, phraseLexicon, type FlagWeights } from '../src/domain/classifier/flag-model';
import { adeFeatures } from '../src/domain/classifier/literature-ade';
import { packWeights } from '../src/domain/classifier/text';
import { generalFeatures, predict } from '../src/domain/classifier/model';
import lexicon from '../src/domain/classifier/vader-words.json';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { type CorpusPost, isTrainingTweet, readTweets, TWEETS_FILE, tweetGold } from './lib/corpus';
import { pickThreshold, prAt } from './train-flags';
import { train, type TrainOptions } from './train';
import { prng } from './lib/prng';

const ROOT = join(__dirname, '..');
const ADE_OUT = join(ROOT, 'src', 'domain', 'classifier', 'ade-weights.json');
const GENERAL_OUT = join(ROOT, 'src', 'domain', 'classifier', 'general-weights.json');
const dataDir = resolve(process.env.EVAL_DATA_DIR ?? join(ROOT, '..', 'shared', 'data'));
const FOLDS = 5;
const f3 = (x: number) => x.toFixed(3);

// ---------- ADE-Corpus-V2 ----------

export interface Example {
  group: string;
  text: string;
  y: boolean;
  /** The annotated drug and harm (positives only): the lexicon is learned from them. */
  drugs: string[];
  harms: string[];
}

/** The same reading as scripts/eval.ts: each sentence once, positives first. */
export function readAde(keep: (pmid: string) => boolean): Example[] {
  const dir = join(dataDir, 'ade-corpus-v2');
  if (!existsSync(join(dir, 'DRUG-AE.rel'))) throw new Error(`ADE-Corpus-V2 not found in ${dir} (set EVAL_DATA_DIR).`);
  const seen = new Map<string, Example>();
  const out: Example[] = [];
  for (const line of readFileSync(join(dir, 'DRUG-AE.rel'), 'utf8').split('\n')) {
    const [pmid, sentence, harm, , , drug] = line.split('|');
    if (!pmid || !sentence || !keep(pmid)) continue;
    const prev = seen.get(sentence);
    if (prev) {
      if (harm && drug) {
        prev.harms.push(harm);
        prev.drugs.push(drug);
      }
      continue;
    }
    const e: Example = { group: pmid, text: sentence, y: true, drugs: drug ? [drug] : [], harms: harm ? [harm] : [] };
    seen.set(sentence, e);
    out.push(e);
  }
  for (const line of readFileSync(join(dir, 'ADE-NEG.txt'), 'utf8').split('\n')) {
    const m = /^(\d+)\s+NEG\s+(.*)$/.exec(line);
    if (!m || !keep(m[1]!) || seen.has(m[2]!)) continue;
    const e: Example = { group: m[1]!, text: m[2]!, y: false, drugs: [], harms: [] };
    seen.set(m[2]!, e);
    out.push(e);
  }
  return out;
}

/** Drug and harm phrases annotated in the training sentences, as flag tokens. */
export function learnLexicon(ex: readonly Example[]): Record<string, string[]> {
  const norm = (s: string) => flagTokens(s).join(' ');
  const drugs = new Set<string>();
  const harms = new Set<string>();
  for (const e of ex) {
    for (const d of e.drugs) if (norm(d)) drugs.add(norm(d));
    for (const h of e.harms) if (norm(h)) harms.add(norm(h));
  }
  // A phrase that is only "<drug>" or a number says nothing more than the tokens already do.
  const useful = (p: string) => !/^(?:<drug>|<num>)$/.test(p);
  // A harm's head word ("... hepatitis", "... failure") that ends two or more annotated harms is
  // a harm on its own: the phrases seen are a fraction of the ways a harm is written
  // ("fulminant hepatitis" when only "acute hepatitis" was annotated). CV precision at recall
  // 0.85: +0.006 to +0.014.
  const heads = new Map<string, number>();
  for (const h of harms) {
    const parts = h.split(' ');
    const last = parts[parts.length - 1]!;
    if (parts.length > 1 && /^[a-z]{5,}$/.test(last)) heads.set(last, (heads.get(last) ?? 0) + 1);
  }
  for (const [w, n] of heads) if (n >= 2 && !drugs.has(w)) harms.add(w);
  return { '<drug>': [...drugs].filter(useful).sort(), '<harm>': [...harms].filter((h) => useful(h) && !drugs.has(h)).sort() };
}

export interface AdaOptions {
  /** L2 penalty; each feature's share is inversely proportional to how many sentences have it. */
  l2: number;
  epochs: number;
  rate: number;
  minCount: number;
}
/**
 * Chosen by 5-fold CV on the even ids (precision at recall 0.85): l2 3e-3 beat 1e-3 and 1e-2;
 * no better (0.591-0.598 against 0.595): word minCount 1, positives weighed 1.5x or 2x, the
 * average of three shuffles, word trigrams, relation words ("induced", "after", "developed"…)
 * alone and crossed with whether a drug and a harm are named, and shipping the average of the
 * five CV models instead of one trained on all (nested: 0.590 against 0.595, and no better
 * calibrated);
 * 20 epochs beat 10 and 30. The letter n-gram view (adeCharFeatures) is its own model with
 * CHAR_OPTIONS (one model over both views did worse, 0.54-0.57), mixed in at
 * CHAR_MIX of the log-odds (0.3 beat 0.2 and 0.4): a mix of two linear models is one linear
 * model, so it ships as one set of weights.
 */
export const ADE_OPTIONS: AdaOptions = { l2: 3e-3, epochs: 20, rate: 0.1, minCount: 2 };
const CHAR_OPTIONS: AdaOptions = { ...ADE_OPTIONS, epochs: 10, minCount: 5 };
const CHAR_MIX = 0.3;
/**
 * The CV's models train on four fifths of the even ids, the shipped one on all of them, and is
 * more sure of itself: at the threshold where the CV's recall is the aim, its recall runs higher.
 * `--cv --nested` measures that step (the threshold from a CV inside four folds, recall on the
 * fifth): aim 0.85 gives 0.873 (precision 0.542), 0.84 gives 0.865 (0.557), 0.83 0.859 (0.575),
 * 0.82 0.854 (0.589). 0.84 is the lowest aim whose nested recall keeps 0.015 above the 0.85
 * floor (the held-out half's noise on 2,200 harms is about ±0.01).
 */
const ADE_RECALL_AIM = Number(process.env.ADE_RECALL_AIM ?? 0.84);
const isChar = (f: string) => f.startsWith('ch:');

/** The word view and the letter view, each trained on its own, folded into one linear model. */
function trainAdeModel(feats: string[][], y: boolean[]): ReturnType<typeof trainAda> {
  const words = trainAda(feats.map((f) => f.filter((k) => !isChar(k))), y, ADE_OPTIONS);
  const chars = trainAda(feats.map((f) => f.filter(isChar)), y, CHAR_OPTIONS);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const weights: Record<string, number> = {};
  for (const [k, w] of Object.entries(words.weights)) weights[k] = round((1 - CHAR_MIX) * w);
  for (const [k, w] of Object.entries(chars.weights)) weights[k] = round(CHAR_MIX * w);
  // Below 0.007 a weight moves a sentence's log-odds by less than the rounding of the others:
  // dropped, which keeps the file under 1 MiB (CV unchanged).
  for (const k of Object.keys(weights)) if (Math.abs(weights[k]!) < 0.007) delete weights[k];
  return { bias: round((1 - CHAR_MIX) * words.bias + CHAR_MIX * chars.bias), weights };
}

/**
 * Logistic regression by seeded AdaGrad: each feature gets its own step size, so the many rare
 * word features and the few dense signals both converge in ten passes. The L2 penalty per
 * feature is scaled by n / (sentences with it): a rare feature is held as firmly as a common one.
 */
export function trainAda(feats: string[][], y: boolean[], o: AdaOptions): { bias: number; weights: Record<string, number> } {
  const df = new Map<string, number>();
  for (const f of feats) for (const k of f) df.set(k, (df.get(k) ?? 0) + 1);
  const names = [...df.entries()].filter(([, n]) => n >= o.minCount).map(([k]) => k).sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const rows = feats.map((f) => f.map((k) => index.get(k)).filter((j): j is number => j !== undefined));
  const n = rows.length;
  const pen = Float64Array.from(names, (nm) => (o.l2 * n) / df.get(nm)!);
  const W = new Float64Array(names.length);
  const G = new Float64Array(names.length).fill(1e-8);
  let b = 0, gb = 1e-8;
  const order = rows.map((_, i) => i);
  const rand = prng(8);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const i of order) {
      let z = b;
      for (const j of rows[i]!) z += W[j]!;
      const g = 1 / (1 + Math.exp(-z)) - (y[i] ? 1 : 0);
      gb += g * g;
      b -= (o.rate * g) / Math.sqrt(gb);
      for (const j of rows[i]!) {
        const gj = g + pen[j]! * W[j]!;
        G[j]! += gj * gj;
        W[j]! -= (o.rate * gj) / Math.sqrt(G[j]!);
      }
    }
  }
  const weights: Record<string, number> = {};
  names.forEach((nm, j) => {
    const w = Math.round(W[j]! * 1000) / 1000;
    if (Math.abs(w) >= 0.01) weights[nm] = w;
  });
  return { bias: Math.round(b * 1000) / 1000, weights };
}

/**
 * Each sentence's features with the phrase lexicon learned from `train`. A training sentence
 * must not be tagged with the lexicon learned from its own annotation (the model would learn
 * "tagged, so positive"): each is tagged by the lexicon of the other training sub-folds, as an
 * unseen sentence will be at run time.
 */
function adeFeaturesFor(ex: readonly Example[], train: readonly Example[], broad: readonly ReturnType<typeof detectCaseReportHarm>[]): string[][] {
  const inTrain = new Set(train);
  const sub = (e: Example) => Number(e.group) % 3;
  const full = phraseLexicon(learnLexicon(train));
  const partial = [0, 1, 2].map((k) => phraseLexicon(learnLexicon(train.filter((e) => sub(e) !== k))));
  return ex.map((e, i) => adeFeatures(e.text, inTrain.has(e) ? partial[sub(e)]! : full, broad[i]!));
}

function trainAde(cvOnly: boolean, nested = false): void {
  if (!existsSync(join(dataDir, 'ade-corpus-v2', 'DRUG-AE.rel'))) {
    console.warn(`ADE-Corpus-V2 not found in ${dataDir} (set EVAL_DATA_DIR): ade-weights.json left as shipped.`);
    return;
  }
  const ex = readAde((pmid) => Number(pmid) % 2 === 0);
  const y = ex.map((e) => e.y);
  const broad = ex.map((e) => detectCaseReportHarm(e.text));
  // 5-fold CV grouped by PubMed id: sentences of one abstract never straddle train and test.
  const groups = [...new Set(ex.map((e) => e.group))].sort();
  const foldOf = new Map(groups.map((g, i) => [g, i % FOLDS]));
  const probs = new Array<number>(ex.length).fill(0);
  for (let fold = 0; fold < FOLDS; fold++) {
    const tr = ex.map((_, i) => i).filter((i) => foldOf.get(ex[i]!.group) !== fold);
    const feats = adeFeaturesFor(ex, tr.map((i) => ex[i]!), broad);
    const m = trainAdeModel(tr.map((i) => feats[i]!), tr.map((i) => y[i]!));
    ex.forEach((e, i) => {
      if (foldOf.get(e.group) !== fold) return;
      let z = m.bias;
      for (const f of feats[i]!) z += m.weights[f] ?? 0;
      probs[i] = 1 / (1 + Math.exp(-z));
    });
  }
  const threshold = pickThreshold(probs, y, ADE_RECALL_AIM);
  if (cvOnly) {
    const grid: string[] = [];
    for (let k = 30; k <= 60; k++) {
      const r = prAt(probs, y, k / 200);
      grid.push(`${k / 200}: ${f3(r.recall)}/${f3(r.precision)}`);
    }
    console.log(`  recall/precision by threshold: ${grid.join('  ')}`);
  }
  const at = prAt(probs, y, threshold);
  console.log(`ADE even PubMed ids (${ex.length} sentences), ${FOLDS}-fold CV by PubMed id, threshold ${threshold}: recall ${f3(at.recall)} precision ${f3(at.precision)}`);
  for (const aim of [0.8, 0.85, 0.86, 0.88, 0.9]) {
    const t = pickThreshold(probs, y, aim);
    const r = prAt(probs, y, t);
    console.log(`  at recall >= ${aim}: threshold ${t}, recall ${f3(r.recall)} precision ${f3(r.precision)}`);
  }
  if (nested) nestedAde(ex, broad);
  if (cvOnly) return;
  const m = trainAdeModel(adeFeaturesFor(ex, ex, broad), y);
  const out: FlagWeights = {
    bias: m.bias,
    lexicon: learnLexicon(ex),
    threshold,
    weights: packWeights(m.weights),
    meta: { trainedOn: 'ADE-Corpus-V2, even PubMed ids only', sentences: ex.length, options: { words: ADE_OPTIONS, letters: CHAR_OPTIONS, letterMix: CHAR_MIX }, cv: { folds: FOLDS, groupedBy: 'PubMed id', ...at }, script: 'npm run train (scripts/train-general.ts)' },
  };
  writeFileSync(ADE_OUT, `${JSON.stringify(out)}\n`);
  console.log(`${Object.keys(m.weights).length} weights written to ${ADE_OUT}.`);
}

/**
 * `--cv --nested`: how the recall aim carries from the CV to a model trained on all the data.
 * For each outer fold (by PubMed id), the threshold is picked at each aim by a 5-fold CV inside
 * the other four folds, the model trained on all four, and its recall and precision measured
 * on the outer fold: the same step as from the CV to the shipped model (each a quarter more
 * data). Prints nothing else and writes nothing; about five times the CV's time.
 */
function nestedAde(ex: readonly Example[], broad: readonly ReturnType<typeof detectCaseReportHarm>[]): void {
  const aims = [0.82, 0.83, 0.835, 0.84, 0.845, 0.85];
  const byGroup = (idx: readonly number[]) => {
    const groups = [...new Set(idx.map((i) => ex[i]!.group))].sort();
    return new Map(groups.map((g, j) => [g, j % FOLDS]));
  };
  const fitPredict = (train: number[], test: number[]): number[] => {
    const sub = [...train, ...test].map((i) => ex[i]!);
    const feats = adeFeaturesFor(sub, train.map((i) => ex[i]!), [...train, ...test].map((i) => broad[i]!));
    const m = trainAdeModel(feats.slice(0, train.length), train.map((i) => ex[i]!.y));
    return feats.slice(train.length).map((f) => {
      let z = m.bias;
      for (const k of f) z += m.weights[k] ?? 0;
      return 1 / (1 + Math.exp(-z));
    });
  };
  const outer = byGroup(ex.map((_, i) => i));
  const flagged = aims.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  for (let k = 0; k < FOLDS; k++) {
    const tr = ex.map((_, i) => i).filter((i) => outer.get(ex[i]!.group) !== k);
    const te = ex.map((_, i) => i).filter((i) => outer.get(ex[i]!.group) === k);
    const inner = byGroup(tr);
    const oof = new Map<number, number>();
    for (let j = 0; j < FOLDS; j++) {
      const itr = tr.filter((i) => inner.get(ex[i]!.group) !== j);
      const ite = tr.filter((i) => inner.get(ex[i]!.group) === j);
      fitPredict(itr, ite).forEach((p, q) => oof.set(ite[q]!, p));
    }
    const probs = fitPredict(tr, te);
    aims.forEach((aim, a) => {
      const t = pickThreshold(tr.map((i) => oof.get(i)!), tr.map((i) => ex[i]!.y), aim);
      te.forEach((i, q) => {
        const hit = probs[q]! >= t;
        if (hit && ex[i]!.y) flagged[a]!.tp++;
        else if (hit) flagged[a]!.fp++;
        else if (ex[i]!.y) flagged[a]!.fn++;
      });
    });
  }
  aims.forEach((aim, a) => {
    const { tp, fp, fn } = flagged[a]!;
    console.log(`  nested: CV recall aim ${aim} gives recall ${f3(tp / (tp + fn))} precision ${f3(tp / (tp + fp))} on the outer folds`);
  });
}

// ---------- VADER tweets ----------

/**
 * The general model: fewer, denser features; classes a quarter-balanced (neutral is 7% of
 * tweets). 5-fold CV on the even ids chose balance 0.25 (macro-F1 0.754) over 0.5 (0.748),
 * 0.35 (0.753) and 0.15 (0.751); word features, extra hand features (but, negation, caps,
 * lexicon sums) and soft labels from the raters' spread did no better; nor did a regression on
 * the raters' mean with CV-fit cut-offs (0.741), per-class offsets fit by nested CV (0.744), our
 * polarity stage's sums, VADER's per-word rating spread, or links and questions tempering the
 * compound (+0.003 on four fold splits, but 0.740 against 0.744 on the held-out half: noise).
 * VADER's lexicon and rules were built on these very tweets; neutral (7%) is the hard class.
 * With the link, check-in, Title Case and sad-face features (generalFeatures), the mean over
 * four fold splits went 0.751 → 0.755 and l2 0.001 (0.756) beat 0.002 and 0.0005 (0.756);
 * word unigrams (0.741, 0.749 at 5x and 10x penalty on words), lexicon words only (0.749),
 * positive faces, @-mentions, hashtags, elongated words, "!!"/"?!", separate counts and sums of
 * positive and negative lexicon words, VADER's pre-normalised sum, the rate of capitals, a
 * short post, "but", negators, compound × cue interactions and VADER per sentence (max, min,
 * last) did no better (0.748-0.755).
 * Also no better (four-split mean against 0.756; split 0 in brackets): neutral by a rule on the
 * probabilities with the threshold from a CV inside the training folds, p(neutral) > t 0.747
 * (0.756) and max(p+, p-) < t 0.750 (0.753); even the best t chosen on the scored folds
 * themselves is below argmax (0.752 both): balance 0.25 already sits at the F1-optimal cut.
 * Interactions (compound 0 × link, × "?", × @-reply, × "!", × face; |c| < 0.3 × link, × "?";
 * no lexicon word × length band; |c| × link and × "?"; exactly one lexicon word, and one faint
 * one) 0.751-0.756 each; 0.743 with compound 0 × link, × "?", × @-reply, |c| < 0.3 × link and
 * the length bands together. Gradient-boosted trees over the same features (softmax, depth
 * 2-4, 60-200 rounds) 0.735-0.742 alone, 0.752-0.753 blended with this model at 0.3-0.5 of
 * the log-odds. Ten bagged models: bootstraps 0.755 (probabilities)
 * and 0.754 (log-odds) averaged, 80% subsamples 0.757 (noise). Lexicon valence of an inflected
 * form ("flogged", "lovin") or of a word inside a hashtag ("#careerfail") 0.756; training
 * without the tweets whose mean lies within 0.05 of ±0.2 0.756, within 0.1 0.737; far-from-cut
 * tweets counted twice 0.750; each tweet weighed by the chance its class is right given the
 * raters' standard error 0.754-0.755; five or seven classes cut on the mean, summed back to
 * three, 0.750-0.752; 200 or 800 iterations 0.756. Of the 107 neutral tweets split 0 misses
 * (of 164), 75 have a clear lexicon word (|c| >= 0.3) that the raters read as neither.
 */
export const GENERAL_OPTIONS: TrainOptions = { l2: 0.001, iterations: 400, rate: 0.5, minCount: 1, wordPenalty: 1, balance: 0.25 };

function macroF1(gold: readonly Sentiment[], guess: readonly Sentiment[]): number {
  let sum = 0;
  for (const c of SENTIMENTS) {
    let tp = 0, fp = 0, fn = 0;
    gold.forEach((g, i) => {
      if (g === c && guess[i] === c) tp++;
      else if (guess[i] === c) fp++;
      else if (g === c) fn++;
    });
    sum += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return sum / SENTIMENTS.length;
}

function trainTweets(cvOnly: boolean): void {
  if (!existsSync(TWEETS_FILE)) {
    console.log(`No ${TWEETS_FILE} (set EVAL_DATA_DIR): general-weights.json kept as shipped.`);
    return;
  }
  const tweets = readTweets().filter((t) => isTrainingTweet(t.id));
  const posts: CorpusPost[] = tweets.map((t) => ({ id: String(t.id), text: t.text, stance: tweetGold(t.mean, 0.2) }));
  const gold = posts.map((p) => p.stance!);
  const feats = tweets.map((t) => generalFeatures(t.text, SentimentIntensityAnalyzer.polarity_scores(t.text), lexicon.words as Record<string, number>));
  // Split 0 is the one the figures have always been quoted on (id / 2 mod 5); with --cv, three
  // more seeded splits: on 150 neutral tweets one split's macro-F1 moves by ±0.005 with the split.
  const cvRun = (split: number): Sentiment[] => {
    const fold = (i: number) => (split === 0 ? (tweets[i]!.id / 2) % FOLDS : (Math.imul(tweets[i]!.id ^ Math.imul(split, 0x9e3779b9), 2654435761) >>> 16) % FOLDS);
    const guess: Sentiment[] = new Array(tweets.length);
    for (let k = 0; k < FOLDS; k++) {
      const tr = posts.map((_, i) => i).filter((i) => fold(i) !== k);
      const w = train(tr.map((i) => posts[i]!), GENERAL_OPTIONS, tr.map((i) => feats[i]!));
      posts.forEach((_, i) => {
        if (fold(i) !== k) return;
        const p = predict(w, feats[i]!, []).probabilities;
        guess[i] = SENTIMENTS.reduce((a, c) => (p[c] > p[a] ? c : a));
      });
    }
    return guess;
  };
  const vader = tweets.map((t) => {
    const c = SentimentIntensityAnalyzer.polarity_scores(t.text).compound;
    return c >= 0.05 ? 'positive' : c <= -0.05 ? 'negative' : ('neutral' as Sentiment);
  });
  console.log(`General model, VADER tweets' even ids (${posts.length}), ${FOLDS}-fold CV: macro-F1 ${f3(macroF1(gold, cvRun(0)))} at ±0.2 (plain VADER on the same: ${f3(macroF1(gold, vader))})`);
  if (cvOnly) {
    const more = [1, 2, 3].map((s) => macroF1(gold, cvRun(s)));
    console.log(`  three more fold splits: ${more.map(f3).join(' ')}; mean of the four ${f3((more.reduce((a, b) => a + b, 0) + macroF1(gold, cvRun(0))) / 4)}`);
    return;
  }
  const w = train(posts, GENERAL_OPTIONS, feats);
  w.meta = { trainedOn: 'VADER tweets (Hutto & Gilbert 2014), even ids only, gold at ±0.2', posts: posts.length, options: GENERAL_OPTIONS, script: 'npm run train (scripts/train-general.ts)' };
  const shipped = { ...w, weights: packWeights(w.weights) };
  writeFileSync(GENERAL_OUT, `${JSON.stringify(shipped)}\n`);
  console.log(`Trained the general model on ${posts.length} tweets (even ids): ${shipped.weights.features.length} weights written to ${GENERAL_OUT}.`);
}

function main(): number {
  const { values } = parseArgs({ options: { cv: { type: 'boolean' }, nested: { type: 'boolean' }, only: { type: 'string' } } });
  if (values.only && values.only !== 'ade' && values.only !== 'tweets') {
    console.error('--only takes ade or tweets.');
    return 2;
  }
  if (values.only !== 'tweets') trainAde(Boolean(values.cv), Boolean(values.nested));
  if (values.only !== 'ade') trainTweets(Boolean(values.cv));
  return 0;
}

if (require.main === module) process.exitCode = main();
