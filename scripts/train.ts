/**
 * npm run train [-- --cv 5 | --cv product]
 * Trains the stance model (multinomial logistic regression over the stance stage's features
 * and the post's words) on the HCP corpus's dev part ONLY (every tests/corpus/dev*.jsonl), and
 * writes src/domain/classifier/stance-weights.json. Deterministic: same data, same weights.
 * (The general model for everyday posts, which reuses `train`, is trained by
 * scripts/train-general.ts.)
 * `--cv k` prints k-fold cross-validated stance figures on dev instead of writing; `--cv
 * product` leaves one product out at a time (the guide to products never seen).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyse, UNSURE_FLOOR, UNSURE_MARGIN } from '../src/domain/classifier';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { decide, predict, type StanceWeights } from '../src/domain/classifier/model';
import { packWeights } from '../src/domain/classifier/text';
import { partFiles, readJsonl, type CorpusPost } from './lib/corpus';

const OUT = join(__dirname, '..', 'src', 'domain', 'classifier', 'stance-weights.json');

interface Row {
  feats: Map<number, number>;
  y: number;
}

export interface TrainOptions {
  l2: number;
  iterations: number;
  rate: number;
  minCount: number;
  /** Extra weight on a word feature's penalty: the hand-written features should carry more. */
  wordPenalty: number;
  /** Weigh classes inversely to their frequency (0: off, 1: fully balanced, between: partly). */
  balance: number;
}
const MOMENTUM = Number(process.env.MOMENTUM ?? 0.9);
export const DEFAULTS: TrainOptions = { l2: 0.001, iterations: 400, rate: 0.5, minCount: 2, wordPenalty: 3, balance: 1 };

type Feats = Record<string, number>;

function featuresOf(p: CorpusPost): Feats {
  const a = analyse(p.text, { product: p.product ?? null });
  const out: Feats = { ...a.measured.features };
  for (const w of a.words) out[w] = 1;
  return out;
}

const isWord = (k: string) => k.startsWith('w:') || k.startsWith('b:') || k.startsWith('c:');

/** Trains on posts' features (featuresOf), so cross-validation featurises each post once. */
export function train(posts: CorpusPost[], opts: TrainOptions = DEFAULTS, feats: Feats[] = posts.map(featuresOf)): StanceWeights {
  const raw = posts.map((p, i) => ({ f: feats[i]!, y: SENTIMENTS.indexOf(p.stance as Sentiment) }));
  // Vocabulary: every stage feature; a word or word pair only if it occurs in minCount posts.
  const df = new Map<string, number>();
  for (const r of raw) for (const k of Object.keys(r.f)) df.set(k, (df.get(k) ?? 0) + 1);
  const names = [...df.entries()]
    .filter(([k, n]) => !isWord(k) || n >= opts.minCount)
    .map(([k]) => k)
    .sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const rows: Row[] = raw.map((r) => ({ feats: new Map(Object.entries(r.f).filter(([k]) => index.has(k)).map(([k, v]) => [index.get(k)!, v])), y: r.y }));
  const K = SENTIMENTS.length;
  const J = names.length;
  // Flat typed arrays (feature j, class k at j*K+k) and each row's features as parallel
  // index/value arrays: the same sums in the same order as the plain version, so the same
  // weights, several times faster (cross-validation trains a dozen models).
  const W = new Float64Array(J * K);
  const penalty = Float64Array.from(names, (n) => (isWord(n) ? opts.l2 * opts.wordPenalty : opts.l2));
  const b = new Float64Array(K);
  const vW = new Float64Array(J * K);
  const vb = new Float64Array(K);
  const gW = new Float64Array(J * K);
  const gb = new Float64Array(K);
  const idx = rows.map((r) => Int32Array.from(r.feats.keys()));
  const val = rows.map((r) => Float64Array.from(r.feats.values()));
  const z = new Float64Array(K);
  const e = new Float64Array(K);
  // Classes weighted inversely to their frequency, so the rarer stance is not drowned out.
  const counts = SENTIMENTS.map((_, k) => rows.filter((r) => r.y === k).length);
  const classWeight = counts.map((c) => (c ? (rows.length / (K * c)) ** opts.balance : 0));
  for (let it = 0; it < opts.iterations; it++) {
    gW.fill(0);
    gb.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const ix = idx[r]!, vx = val[r]!, y = rows[r]!.y;
      z.set(b);
      for (let q = 0; q < ix.length; q++) {
        const o = ix[q]! * K, v = vx[q]!;
        for (let k = 0; k < K; k++) z[k]! += W[o + k]! * v;
      }
      let m = -Infinity;
      for (let k = 0; k < K; k++) if (z[k]! > m) m = z[k]!;
      let s = 0;
      for (let k = 0; k < K; k++) {
        e[k] = Math.exp(z[k]! - m);
        s += e[k]!;
      }
      const cw = classWeight[y]!;
      for (let k = 0; k < K; k++) {
        const g = (e[k]! / s - (k === y ? 1 : 0)) * cw;
        gb[k]! += g;
        for (let q = 0; q < ix.length; q++) gW[ix[q]! * K + k]! += g * vx[q]!;
      }
    }
    const n = rows.length;
    // Gradient descent with heavy-ball momentum: the same optimum as plain descent, reached in
    // a few hundred passes instead of thousands.
    for (let k = 0; k < K; k++) {
      vb[k] = MOMENTUM * vb[k]! + gb[k]! / n;
      b[k]! -= opts.rate * vb[k]!;
    }
    for (let j = 0; j < J; j++) {
      for (let k = 0; k < K; k++) {
        const o = j * K + k;
        vW[o] = MOMENTUM * vW[o]! + gW[o]! / n + penalty[j]! * W[o]!;
        W[o]! -= opts.rate * vW[o]!;
      }
    }
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const weights: Record<string, number[]> = {};
  names.forEach((n, j) => {
    const w = Array.from(W.subarray(j * K, j * K + K)).map(round);
    if (w.some((x) => Math.abs(x) >= 0.002)) weights[n] = w;
  });
  return {
    classes: [...SENTIMENTS],
    bias: Array.from(b).map(round),
    weights,
    meta: { trainedOn: 'HCP corpus dev part only', posts: rows.length, options: opts, script: 'npm run train' },
  };
}

export interface CvResult {
  accuracy: number;
  macroF1: number;
  perClass: Record<Sentiment, { precision: number; recall: number; f1: number }>;
  /** confusion[gold][guess], in SENTIMENTS order. */
  confusion: number[][];
  /** Share of posts the card would mark unsure, and accuracy on the rest. */
  unsureRate: number;
  accuracyWhenSure: number;
}

/**
 * Cross-validated stance on dev: `folds` is k (post i in fold i mod k) or 'product' (leave
 * one product out: trained on the others, scored on the one it never saw).
 */
export function crossValidate(posts: CorpusPost[], folds: number | 'product', opts: TrainOptions, onError?: (p: CorpusPost, guess: Sentiment, pr: Record<Sentiment, number>, f: Feats) => void): CvResult {
  const feats = posts.map(featuresOf);
  const groupOf = (i: number) => (folds === 'product' ? (posts[i]!.product ?? '') : String(i % folds));
  const groups = [...new Set(posts.map((_, i) => groupOf(i)))].sort();
  const conf = SENTIMENTS.map(() => SENTIMENTS.map(() => 0));
  let unsure = 0, sureRight = 0;
  for (const g of groups) {
    const tr = posts.map((_, i) => i).filter((i) => groupOf(i) !== g);
    const te = posts.map((_, i) => i).filter((i) => groupOf(i) === g);
    const w = train(tr.map((i) => posts[i]!), opts, tr.map((i) => feats[i]!));
    for (const i of te) {
      const f = feats[i]!;
      const stage = Object.fromEntries(Object.entries(f).filter(([n]) => !isWord(n)));
      const pr = predict(w, stage, Object.keys(f).filter(isWord)).probabilities;
      const guess = process.env.NO_DECIDE ? SENTIMENTS.reduce((a, c) => (pr[c] > pr[a] ? c : a), 'neutral' as Sentiment) : decide(pr, stage).stance;
      conf[SENTIMENTS.indexOf(posts[i]!.stance!)]![SENTIMENTS.indexOf(guess)]!++;
      const [p1, p2] = Object.values(pr).sort((a, b) => b - a);
      const decided = decide(pr, stage);
      if (p1! < UNSURE_FLOOR || p1! - p2! < UNSURE_MARGIN || decided.overruled || decided.weak) unsure++;
      else if (guess === posts[i]!.stance) sureRight++;
      if (guess !== posts[i]!.stance) onError?.(posts[i]!, guess, pr, f);
    }
  }
  const perClass = {} as CvResult['perClass'];
  SENTIMENTS.forEach((s, c) => {
    const tp = conf[c]![c]!;
    const fp = conf.reduce((acc, row, g) => acc + (g === c ? 0 : row[c]!), 0);
    const fn = conf[c]!.reduce((acc, x, q) => acc + (q === c ? 0 : x), 0);
    const precision = tp ? tp / (tp + fp) : 0, recall = tp ? tp / (tp + fn) : 0;
    perClass[s] = { precision, recall, f1: tp ? (2 * tp) / (2 * tp + fp + fn) : 0 };
  });
  const correct = SENTIMENTS.reduce((acc, _, c) => acc + conf[c]![c]!, 0);
  return {
    accuracy: correct / posts.length,
    macroF1: SENTIMENTS.reduce((a, s) => a + perClass[s].f1, 0) / SENTIMENTS.length,
    perClass,
    confusion: conf,
    unsureRate: unsure / posts.length,
    accuracyWhenSure: sureRight / Math.max(1, posts.length - unsure),
  };
}

const f3 = (x: number) => x.toFixed(3);

function main(): number {
  const { values } = parseArgs({ options: { cv: { type: 'string' }, l2: { type: 'string' }, 'word-penalty': { type: 'string' }, iterations: { type: 'string' } } });
  const files = partFiles('dev');
  if (!files.length) {
    console.error('No HCP dev part to train on: expected tests/corpus/dev.jsonl.');
    return 2;
  }
  const posts = files.flatMap(readJsonl).filter((p) => p.stance);
  const opts: TrainOptions = {
    ...DEFAULTS,
    ...(values.l2 ? { l2: Number(values.l2) } : {}),
    ...(values['word-penalty'] ? { wordPenalty: Number(values['word-penalty']) } : {}),
    ...(values.iterations ? { iterations: Number(values.iterations) } : {}),
  };
  if (values.cv) {
    const folds = values.cv === 'product' ? 'product' : Number(values.cv);
    // Errors by the corpus's phenomenon tags: which kinds of post the model gets wrong.
    const errorsBy = new Map<string, number>();
    const r = crossValidate(posts, folds, opts, (p, guess, pr, f) => {
      for (const t of p.phenomena ?? []) errorsBy.set(t, (errorsBy.get(t) ?? 0) + 1);
      if (!process.env.TRAIN_ERRORS) return;
      const probs = JSON.stringify(Object.fromEntries(Object.entries(pr).map(([a, b]) => [a.slice(0, 3), Math.round(b * 100) / 100])));
      const stage = Object.keys(f).filter((n) => !isWord(n) && !n.startsWith('lang:') && !n.startsWith('lex:') && n !== 'qmark' && n !== 'exclaim').join(' ');
      console.log(`✗ ${p.id} gold ${p.stance} got ${guess} ${probs} [${stage}]\n   ${p.text}`);
    });
    const label = folds === 'product' ? 'leave-one-product-out CV' : `${folds}-fold CV`;
    console.log(`${label} on dev (${posts.length} posts, ${JSON.stringify(opts)}): accuracy ${f3(r.accuracy)}, macro-F1 ${f3(r.macroF1)}`);
    console.log(`  per class P/R/F1: ${SENTIMENTS.map((s) => `${s} ${f3(r.perClass[s].precision)}/${f3(r.perClass[s].recall)}/${f3(r.perClass[s].f1)}`).join('  ')}`);
    console.log(`  confusion (rows gold pos/neu/neg): ${JSON.stringify(r.confusion)}`);
    console.log(`  unsure on ${f3(r.unsureRate)} of posts; accuracy on the rest ${f3(r.accuracyWhenSure)}`);
    const tagged = new Map<string, number>();
    for (const p of posts) for (const t of p.phenomena ?? []) tagged.set(t, (tagged.get(t) ?? 0) + 1);
    const rows = [...errorsBy.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    console.log(`  errors by phenomenon (wrong/tagged): ${rows.map(([t, n]) => `${t} ${n}/${tagged.get(t)}`).join(', ')}`);
    return 0;
  }
  const weights = train(posts, opts);
  const shipped = { ...weights, weights: packWeights(weights.weights) };
  writeFileSync(OUT, JSON.stringify(shipped) + '\n');
  console.log(`Trained on ${posts.length} dev posts (${files.join(', ')}): ${shipped.weights.features.length} weights written to ${OUT}.`);
  return 0;
}

if (require.main === module) process.exitCode = main();
