/**
 * Measures the sentiment classifier and the adverse-event detector on the public,
 * human-labelled sets in ../shared/data (or EVAL_DATA_DIR). Prints precision, recall and F1
 * per class. The texts stay outside this repository; only the numbers are printed.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { classifySentiment } from '../src/domain/sentiment';
import { detectAdverseEvent } from '../src/domain/adverse-event';
import type { Sentiment } from '../src/domain/mention';

const dataDir = resolve(process.env.EVAL_DATA_DIR ?? join(__dirname, '..', '..', 'shared', 'data'));
if (!existsSync(dataDir)) {
  console.error(`No evaluation data at ${dataDir}: set EVAL_DATA_DIR to the folder holding vader-tweets/ and ade-corpus-v2/.`);
  process.exit(2);
}

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '  n/a');
function prf(tp: number, fp: number, fn: number) {
  const p = tp / (tp + fp);
  const r = tp / (tp + fn);
  return { p, r, f1: (2 * p * r) / (p + r) };
}

function evalSentiment() {
  const rows = readFileSync(join(dataDir, 'vader-tweets', 'tweets_GroundTruth.txt'), 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const [, mean, ...text] = line.split('\t');
      return { mean: Number(mean), text: text.join('\t') };
    });
  const started = process.hrtime.bigint();
  const predicted = rows.map((r) => classifySentiment(r.text));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const gold = rows.map((r) => r.mean / 4);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const px = predicted.map((p) => p.score);
  const mx = mean(px), my = mean(gold);
  const cov = px.reduce((s, x, i) => s + (x - mx) * (gold[i]! - my), 0);
  const r = cov / Math.sqrt(px.reduce((s, x) => s + (x - mx) ** 2, 0) * gold.reduce((s, y) => s + (y - my) ** 2, 0));
  console.log(`\nSentiment on vader-tweets (${rows.length} tweets, ${(ms / rows.length).toFixed(3)} ms each), Pearson r vs mean/4 = ${r.toFixed(3)}`);
  for (const threshold of [0.2, 0.5]) {
    const label = (m: number): Sentiment => (m >= threshold ? 'positive' : m <= -threshold ? 'negative' : 'neutral');
    console.log(`  gold threshold ±${threshold} (inclusive)     precision  recall     F1   support`);
    let correct = 0;
    const f1s: number[] = [];
    for (const cls of ['positive', 'neutral', 'negative'] as const) {
      let tp = 0, fp = 0, fn = 0;
      rows.forEach((row, i) => {
        const g = label(row.mean), p = predicted[i]!.label;
        if (p === cls && g === cls) tp++;
        else if (p === cls) fp++;
        else if (g === cls) fn++;
      });
      const m = prf(tp, fp, fn);
      f1s.push(m.f1);
      console.log(`    ${cls.padEnd(32)} ${pct(m.p)}     ${pct(m.r)}  ${pct(m.f1)}   ${tp + fn}`);
    }
    rows.forEach((row, i) => { if (label(row.mean) === predicted[i]!.label) correct++; });
    console.log(`    accuracy ${pct(correct / rows.length)}, macro F1 ${pct(f1s.reduce((a, b) => a + b, 0) / 3)}`);
  }
}

function evalAdverseEvents() {
  const dir = join(dataDir, 'ade-corpus-v2');
  const ade = new Set(readFileSync(join(dir, 'DRUG-AE.rel'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('|')[1]!));
  const neg = new Set(
    readFileSync(join(dir, 'ADE-NEG.txt'), 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\d+\s+NEG\s+/, '')),
  );
  for (const s of ade) neg.delete(s);
  let tp = 0, fp = 0, fn = 0, tn = 0;
  const started = process.hrtime.bigint();
  for (const s of ade) (detectAdverseEvent(s).possible ? tp++ : fn++);
  for (const s of neg) (detectAdverseEvent(s).possible ? fp++ : tn++);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const m = prf(tp, fp, fn);
  console.log(`\nAdverse events on ade-corpus-v2 (${ade.size} ADE + ${neg.size} not-ADE unique sentences, ${(ms / (ade.size + neg.size)).toFixed(3)} ms each)`);
  console.log(`  class ADE: RECALL ${pct(m.r)}  precision ${pct(m.p)}  F1 ${pct(m.f1)}   (tp ${tp}, fp ${fp}, fn ${fn}, tn ${tn})`);
  const n = prf(tn, fn, fp);
  console.log(`  class not-ADE: recall ${pct(n.r)}  precision ${pct(n.p)}  F1 ${pct(n.f1)}`);
}

evalSentiment();
evalAdverseEvents();
