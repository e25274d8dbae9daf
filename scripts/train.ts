/**
 * npm run train [-- --cv 5]
 * Trains the stance model (multinomial logistic regression over the stance stage's features
 * and the post's words) on the HCP corpus's dev part ONLY, and writes
 * src/domain/classifier/stance-weights.json. Deterministic: same data, same weights.
 * `--cv k` prints k-fold cross-validated accuracy and macro-F1 on dev instead of writing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyse } from '../src/domain/classifier';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import type { StanceWeights } from '../src/domain/classifier/model';
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
}
export const DEFAULTS: TrainOptions = { l2: 0.002, iterations: 400, rate: 0.5, minCount: 2, wordPenalty: 3 };

function featuresOf(p: CorpusPost): Record<string, number> {
  const a = analyse(p.text, { product: p.product ?? null });
  const out: Record<string, number> = { ...a.measured.features };
  for (const w of a.words) out[w] = 1;
  return out;
}

export function train(posts: CorpusPost[], opts: TrainOptions = DEFAULTS): StanceWeights {
  const raw = posts.map((p) => ({ f: featuresOf(p), y: SENTIMENTS.indexOf(p.stance as Sentiment) }));
  // Vocabulary: every stage feature; a word or word pair only if it occurs in minCount posts.
  const df = new Map<string, number>();
  for (const r of raw) for (const k of Object.keys(r.f)) df.set(k, (df.get(k) ?? 0) + 1);
  const names = [...df.entries()]
    .filter(([k, n]) => !(k.startsWith('w:') || k.startsWith('b:')) || n >= opts.minCount)
    .map(([k]) => k)
    .sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const rows: Row[] = raw.map((r) => ({ feats: new Map(Object.entries(r.f).filter(([k]) => index.has(k)).map(([k, v]) => [index.get(k)!, v])), y: r.y }));
  const K = SENTIMENTS.length;
  const W = names.map(() => new Float64Array(K));
  const penalty = names.map((n) => (n.startsWith('w:') || n.startsWith('b:') ? opts.l2 * opts.wordPenalty : opts.l2));
  const b = new Float64Array(K);
  // Classes weighted inversely to their frequency, so the rarer stance is not drowned out.
  const counts = SENTIMENTS.map((_, k) => rows.filter((r) => r.y === k).length);
  const classWeight = counts.map((c) => (c ? rows.length / (K * c) : 0));
  for (let it = 0; it < opts.iterations; it++) {
    const gW = names.map(() => new Float64Array(K));
    const gb = new Float64Array(K);
    for (const r of rows) {
      const z = Array.from(b);
      for (const [j, v] of r.feats) for (let k = 0; k < K; k++) z[k]! += W[j]![k]! * v;
      const m = Math.max(...z);
      const e = z.map((x) => Math.exp(x - m));
      const s = e.reduce((x, y) => x + y, 0);
      const cw = classWeight[r.y]!;
      for (let k = 0; k < K; k++) {
        const g = (e[k]! / s - (k === r.y ? 1 : 0)) * cw;
        gb[k]! += g;
        for (const [j, v] of r.feats) gW[j]![k]! += g * v;
      }
    }
    const n = rows.length;
    for (let k = 0; k < K; k++) b[k]! -= (opts.rate * gb[k]!) / n;
    for (let j = 0; j < names.length; j++) for (let k = 0; k < K; k++) W[j]![k]! -= opts.rate * (gW[j]![k]! / n + penalty[j]! * W[j]![k]!);
  }
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const weights: Record<string, number[]> = {};
  names.forEach((n, j) => {
    const w = Array.from(W[j]!).map(round);
    if (w.some((x) => Math.abs(x) >= 0.002)) weights[n] = w;
  });
  return {
    classes: [...SENTIMENTS],
    bias: Array.from(b).map(round),
    weights,
    meta: { trainedOn: 'HCP corpus dev part only', posts: rows.length, options: opts, script: 'npm run train' },
  };
}

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
    const k = Number(values.cv);
    const { predict, wordFeatures } = require('../src/domain/classifier/model') as typeof import('../src/domain/classifier/model');
    void wordFeatures;
    let correct = 0;
    const conf = SENTIMENTS.map(() => SENTIMENTS.map(() => 0));
    for (let fold = 0; fold < k; fold++) {
      const trainSet = posts.filter((_, i) => i % k !== fold);
      const testSet = posts.filter((_, i) => i % k === fold);
      const w = train(trainSet, opts);
      for (const p of testSet) {
        const f = featuresOf(p);
        const stage = Object.fromEntries(Object.entries(f).filter(([n]) => !n.startsWith('w:') && !n.startsWith('b:')));
        const wordsOnly = Object.keys(f).filter((n) => n.startsWith('w:') || n.startsWith('b:'));
        const pr = predict(w, stage, wordsOnly).probabilities;
        const guess = SENTIMENTS.reduce((a, c) => (pr[c] > pr[a] ? c : a), 'neutral' as Sentiment);
        conf[SENTIMENTS.indexOf(p.stance!)]![SENTIMENTS.indexOf(guess)]!++;
        if (guess === p.stance) correct++;
        else if (process.env.TRAIN_ERRORS) console.log(`✗ ${p.id} gold ${p.stance} got ${guess} ${JSON.stringify(Object.fromEntries(Object.entries(pr).map(([a, b]) => [a.slice(0, 3), Math.round(b * 100) / 100])))} [${Object.keys(stage).filter((n) => n.startsWith('fam') || n.startsWith('change') || n.startsWith('kind') || n === 'ae').join(' ')}]\n   ${p.text}`);
      }
    }
    const f1s = SENTIMENTS.map((_, c) => {
      const tp = conf[c]![c]!;
      const fp = conf.reduce((s, row, g) => s + (g === c ? 0 : row[c]!), 0);
      const fn = conf[c]!.reduce((s, x, q) => s + (q === c ? 0 : x), 0);
      return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    });
    console.log(`${k}-fold CV on dev (${posts.length} posts, ${JSON.stringify(opts)}): accuracy ${(correct / posts.length).toFixed(3)}, macro-F1 ${(f1s.reduce((a, b) => a + b, 0) / 3).toFixed(3)}`);
    console.log(`  confusion (rows gold pos/neu/neg): ${JSON.stringify(conf)}`);
    return 0;
  }
  const weights = train(posts, opts);
  writeFileSync(OUT, JSON.stringify(weights) + '\n');
  console.log(`Trained on ${posts.length} dev posts (${files.join(', ')}): ${Object.keys(weights.weights).length} weights written to ${OUT}.`);
  return 0;
}

if (require.main === module) process.exitCode = main();
