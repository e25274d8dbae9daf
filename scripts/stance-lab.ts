/**
 * tsx scripts/stance-lab.ts '[{"name":"wp=2","wordPenalty":2},{"name":"-chars","variant":"nochars","only":"5"}]'
 * Experiments on the stance model: featurises dev once, then cross-validates each config
 * (training options, feature variants applied on top of the shipped features, a two-stage
 * neutral-vs-opinion then positive-vs-negative model) both leave-one-product-out and 5-fold,
 * with the spread between folds (folds of 40+ posts). Dev only, like `npm run train -- --cv`.
 * LAB_ERRORS=1 adds the 5-fold errors by phenomenon tag and kind; LAB_DUMP=file writes them.
 */
import { writeFileSync } from 'node:fs';
import { analyse } from '../src/domain/classifier';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { decide, isDrugLike, predict } from '../src/domain/classifier/model';
import { tokens } from '../src/domain/classifier/text';
import { DEFAULTS, train, type TrainOptions } from './train';
import { partFiles, readJsonl, type CorpusPost } from './lib/corpus';

type Feats = Record<string, number>;
const isWord = (k: string) => k.startsWith('w:') || k.startsWith('b:') || k.startsWith('c:');

interface Config extends Partial<TrainOptions> {
  name: string;
  variant?: string;
  only?: 'product' | '5';
  twoStage?: boolean;
}

const posts = partFiles('dev').flatMap(readJsonl).filter((p) => p.stance);
const analyses = posts.map((p) => analyse(p.text, { product: p.product ?? null }));

function featuresFor(variant: string | undefined, i: number): Feats {
  const a = analyses[i]!;
  const out: Feats = { ...a.measured.features };
  for (const w of a.words) out[w] = 1;
  if (!variant) return out;
  const text = a.text.toLowerCase();
  const sents = text.split(/(?<=[.!?;])\s+|\n+/u).filter((x) => x.trim());
  const tok = (raw: string) => (/^\d/.test(raw) ? '<num>' : a.products.isOurs(raw) ? '<product>' : isDrugLike(raw) ? '<drug>' : raw);
  for (const v of variant.split(',')) {
    if (v.startsWith('wnorm')) {
      const ks = Object.keys(out).filter(isWord);
      const scale = Math.sqrt(Number(v.slice(5) || 64) / Math.max(1, ks.length));
      for (const k of ks) out[k] = scale;
    }
    if (v === 'nochars') for (const k of Object.keys(out)) if (k.startsWith('c:')) delete out[k];
    if (v === 'notgt') for (const k of Object.keys(out)) if (k.startsWith('w:@')) delete out[k];
    if (v === 'nobigram') for (const k of Object.keys(out)) if (k.startsWith('b:')) delete out[k];
    if (v === 'stageonly') for (const k of Object.keys(out)) if (isWord(k)) delete out[k];
    if (v === 'tgt' || v === 'tgt2') {
      const named = sents.filter((x) => a.products.mentionedIn(x));
      const other = sents.filter((x) => !a.products.mentionedIn(x) && (x.match(/\p{L}{4,}/gu) ?? []).some((w) => isDrugLike(w) && !a.products.isOurs(w)));
      for (const x of named) for (const t of tokens(x)) out[`w:@${tok(t)}`] = 1;
      if (v === 'tgt2') for (const x of other) for (const t of tokens(x)) out[`w:%${tok(t)}`] = 1;
    }
    if (v === 'last' && sents.length > 1) for (const t of tokens(sents[sents.length - 1]!)) out[`w:$${tok(t)}`] = 1;
    if (v === 'first' && sents.length > 1) for (const t of tokens(sents[0]!)) out[`w:^${tok(t)}`] = 1;
    if (v === 'tri') {
      for (const clause of text.split(/[.!?;:\n,¿¡()]+/u)) {
        const ts = tokens(clause).map(tok);
        for (let k = 2; k < ts.length; k++) out[`b:${ts[k - 2]}_${ts[k - 1]}_${ts[k]}`] = 1;
      }
    }
    if (v === 'pref5' || v === 'pref4' || v === 'pref6') {
      const L = Number(v.slice(4));
      for (const t of tokens(text)) {
        const w = tok(t);
        if (w.length > L && !w.startsWith('<')) out[`c:${w.slice(0, L)}~`] = 1;
      }
    }
    if (v === 'chars4' || v === 'chars3') {
      const L = Number(v.slice(5));
      for (const t of tokens(text)) {
        const w = `<${tok(t)}>`;
        if (w.length < L + 1 || w.startsWith('<<')) continue;
        for (let k = 0; k + L <= w.length; k++) out[`c:${w.slice(k, k + L)}`] = 1;
      }
    }
    if (v === 'chars') {
      for (const t of tokens(text)) {
        const w = `<${tok(t)}>`;
        if (w.length < 6 || w.startsWith('<<')) continue;
        for (let k = 0; k + 5 <= w.length; k++) out[`c:${w.slice(k, k + 5)}`] = 1;
      }
    }
    if (v === 'kindw') for (const k of Object.keys(out)) if (k.startsWith('w:')) out[`w:${a.kind}|${k.slice(2)}`] = 1;
    if (v === 'aew' && a.adverseEvent.possible) for (const k of Object.keys(out)) if (k.startsWith('w:') && !k.startsWith('w:ae|')) out[`w:ae|${k.slice(2)}`] = 1;
    if (v === 'langw') for (const k of Object.keys(out)) if (!isWord(k) && (k.startsWith('fam:') || k.startsWith('lex:'))) out[`${a.language}&${k}`] = out[k]!;
    if (v === 'noxpairs') for (const k of Object.keys(out)) if (k.startsWith('x:')) delete out[k];
    if (v === 'nokindconj') for (const k of Object.keys(out)) if (/^(?:opinion|news|question|case_report)&/.test(k)) delete out[k];
    if (v === 'nowordconj') for (const k of Object.keys(out)) if (k.startsWith('at:')) delete out[k];
  }
  return out;
}

function cv(folds: number | 'product', opts: TrainOptions, feats: Feats[], twoStage = false) {
  const groupOf = (i: number) => (folds === 'product' ? (posts[i]!.product ?? '') : String(i % folds));
  const groups = [...new Set(posts.map((_, i) => groupOf(i)))].sort();
  const conf = SENTIMENTS.map(() => SENTIMENTS.map(() => 0));
  const foldAcc: number[] = [];
  const wrong: number[] = [];
  for (const g of groups) {
    const tr = posts.map((_, i) => i).filter((i) => groupOf(i) !== g);
    const te = posts.map((_, i) => i).filter((i) => groupOf(i) === g);
    const w = twoStage ? null : train(tr.map((i) => posts[i]!), opts, tr.map((i) => feats[i]!));
    const two = twoStage
      ? {
          a: train(tr.map((i) => ({ ...posts[i]!, stance: posts[i]!.stance === 'neutral' ? ('neutral' as const) : ('positive' as const) })), opts, tr.map((i) => feats[i]!)),
          b: train(tr.filter((i) => posts[i]!.stance !== 'neutral').map((i) => posts[i]!), opts, tr.filter((i) => posts[i]!.stance !== 'neutral').map((i) => feats[i]!)),
        }
      : null;
    let right = 0;
    for (const i of te) {
      const f = feats[i]!;
      const stage = Object.fromEntries(Object.entries(f).filter(([n]) => !isWord(n)));
      const pr = two ? (() => {
        const p1 = predict(two.a, f, []).probabilities;
        const q = predict(two.b, f, []).probabilities;
        const op = 1 - p1.neutral, qq = q.positive / (q.positive + q.negative);
        return { positive: op * qq, neutral: p1.neutral, negative: op * (1 - qq) } as Record<Sentiment, number>;
      })() : predict(w!, f, []).probabilities;
      const guess = decide(pr, stage).stance;
      conf[SENTIMENTS.indexOf(posts[i]!.stance!)]![SENTIMENTS.indexOf(guess)]!++;
      if (guess === posts[i]!.stance) right++;
      else {
        wrong.push(i);
        if (process.env.LAB_DUMP && folds === 5) dump.push(`${posts[i]!.id}\t${posts[i]!.stance}\t${guess}\t${posts[i]!.kind}\t${(posts[i]!.phenomena ?? []).join(' ')}\t${Object.entries(pr).map(([a, b]) => `${a.slice(0, 3)}=${b.toFixed(2)}`).join(' ')}\t${Object.keys(stage).filter((n) => n.startsWith('fam:') || n.startsWith('x:') || n === 'ae' || n.startsWith('at:')).join(' ')}\t${posts[i]!.text.replace(/\s+/g, ' ')}`);
      }
    }
    if (te.length >= 40) foldAcc.push(right / te.length);
  }
  const f1s = SENTIMENTS.map((_, c) => {
    const tp = conf[c]![c]!;
    const fp = conf.reduce((acc, row, q) => acc + (q === c ? 0 : row[c]!), 0);
    const fn = conf[c]!.reduce((acc, x, q) => acc + (q === c ? 0 : x), 0);
    return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  });
  const acc = SENTIMENTS.reduce((a, _, c) => a + conf[c]![c]!, 0) / posts.length;
  const mean = foldAcc.reduce((a, b) => a + b, 0) / foldAcc.length;
  const sd = Math.sqrt(foldAcc.reduce((a, b) => a + (b - mean) ** 2, 0) / foldAcc.length);
  return { acc, f1: f1s.reduce((a, b) => a + b, 0) / 3, sd, min: Math.min(...foldAcc), conf, wrong };
}

const f3 = (x: number) => x.toFixed(3);
const dump: string[] = [];
const configs: Config[] = JSON.parse(process.argv[2] ?? '[{"name":"base"}]');
for (const c of configs) {
  const opts: TrainOptions = { ...DEFAULTS, ...Object.fromEntries(Object.entries(c).filter(([k]) => k in DEFAULTS)) };
  const feats = posts.map((_, i) => featuresFor(c.variant, i));
  const t0 = Date.now();
  const parts: string[] = [];
  for (const folds of c.only ? [c.only === 'product' ? ('product' as const) : 5] : (['product', 5] as const)) {
    const r = cv(folds, opts, feats, c.twoStage);
    parts.push(`${folds === 'product' ? 'LOPO' : '5-fold'} ${f3(r.acc)}/${f3(r.f1)} (fold sd ${f3(r.sd)}, min ${f3(r.min)}) conf ${JSON.stringify(r.conf)}`);
    if (process.env.LAB_ERRORS && folds === 5) {
      const by = new Map<string, number>();
      for (const i of r.wrong) for (const t of [...(posts[i]!.phenomena ?? []), `kind=${posts[i]!.kind}`]) by.set(t, (by.get(t) ?? 0) + 1);
      const tagged = new Map<string, number>();
      for (const p of posts) for (const t of [...(p.phenomena ?? []), `kind=${p.kind}`]) tagged.set(t, (tagged.get(t) ?? 0) + 1);
      parts.push([...by].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}/${tagged.get(t)}`).join(', '));
    }
  }
  console.log(`${c.name}: ${parts.join(' | ')} [${Math.round((Date.now() - t0) / 1000)} s]`);
}
if (process.env.LAB_DUMP) writeFileSync(process.env.LAB_DUMP, dump.join('\n') + '\n');
export type { CorpusPost, Sentiment };
