import { detectAdverseEvent as detectCaseReportHarm, type AdverseEventResult } from '../adverse-event';
import { flagTokens, ngramFeatures, tagPhrases, type PhraseLexicon } from './flag-model';
import { tokens } from './text';

/**
 * Features of a literature-style sentence (a case report naming no product of ours) for the
 * ADE model (ade-weights.json, trained by scripts/train-general.ts on ADE-Corpus-V2's even
 * PubMed ids only): its words and word pairs (drug names generic) and what the broad
 * case-report detector found (harm, link, patient, drug). Pure.
 */

/** Words whose shape is a harm (medical suffixes), for sentences naming a harm no lexicon holds. */
const HARM_SHAPE = /^[a-z]{3,}(?:itis|penia|emia|aemia|osis|pathy|pathies|algia|toxicity|toxic|plegia|paresis|rrhea|rrhoea|spasm)$/;

export function adeFeatures(text: string, lex: PhraseLexicon, broad: AdverseEventResult = detectCaseReportHarm(text)): string[] {
  const toks = tagPhrases(flagTokens(text), lex).map((t) => (HARM_SHAPE.test(t) ? '<harm>' : t));
  const extra: string[] = [];
  if (broad.cues.harm.length) extra.push('r:harm');
  if (broad.cues.link.length) extra.push('r:link');
  if (broad.cues.patient.length) extra.push('r:patient');
  if (broad.cues.product.length) extra.push('r:product');
  if (broad.possible) extra.push('r:possible');
  const drug = toks.indexOf('<drug>');
  const harm = toks.indexOf('<harm>');
  if (drug >= 0) extra.push('x:drug');
  if (harm >= 0) extra.push('x:harm');
  if (drug >= 0 && harm >= 0) {
    extra.push('x:drug+harm', `x:gap${Math.min(3, Math.floor(Math.abs(drug - harm) / 4))}`, drug < harm ? 'x:drug-first' : 'x:harm-first');
    // The words between a drug and a harm say how they relate ("induced", "after", "due to"):
    // the classic relation-extraction cue, for the nearest drug-harm pair.
    let best: [number, number] | null = null;
    toks.forEach((t, i) => {
      if (t !== '<drug>') return;
      toks.forEach((u, j) => {
        if (u === '<harm>' && (!best || Math.abs(i - j) < Math.abs(best[0] - best[1]))) best = [i, j];
      });
    });
    const [a, b] = best!;
    const dir = a < b ? 'dh' : 'hd';
    if (Math.abs(a - b) <= 12) for (let k = Math.min(a, b) + 1; k < Math.max(a, b); k++) extra.push(`${dir}:${toks[k]}`);
  }
  toks.forEach((t, i) => {
    if (t !== '<drug>' && t !== '<harm>') return;
    const tag = t === '<drug>' ? 'd' : 'h';
    for (let k = Math.max(0, i - 3); k <= Math.min(toks.length - 1, i + 3); k++) if (k !== i) extra.push(`${tag}${k < i ? '<' : '>'}${toks[k]}`);
  });
  // The drug's own name too: some drugs are written about mostly for their harms.
  for (const t of tokens(text)) if (t.length > 3) extra.push(`n:${t}`);
  // Word pairs with one word skipped ("induced severe hepatitis" → induced_hepatitis): the
  // same relation with an adjective or dose in between.
  for (let i = 2; i < toks.length; i++) extra.push(`s:${toks[i - 2]}_${toks[i]}`);
  // A long word's first and last four letters: medical morphology (hepato-, -itis, -emia,
  // -mycin) that carries to drug and harm names the training sentences never used.
  for (const t of flagTokens(text)) if (t.length > 5 && !t.startsWith('<')) extra.push(`sf:${t.slice(-4)}`, `pf:${t.slice(0, 4)}`);
  // Words and word pairs read differently when the sentence names both a drug and a harm
  // ("developed" beside a drug and a harm is a report; without them, a course of disease).
  const state = (drug >= 0 ? 'D' : '') + (harm >= 0 ? 'H' : '');
  for (const t of toks) extra.push(`c${state}:${t}`);
  for (let i = 1; i < toks.length; i++) extra.push(`cb${state}:${toks[i - 1]}_${toks[i]}`);
  return [...new Set([...ngramFeatures(toks), ...extra]), ...adeCharFeatures(text)];
}

/**
 * Letter trigrams and four-grams of each word of four letters or more ("ch: hep", "ch:toxi"):
 * a second view of the sentence, trained as its own model and folded into the same weights
 * (scripts/train-general.ts). They carry the morphology of drug and harm names no lexicon or
 * stem list holds. 5-fold CV on the even ids, precision at recall 0.85: 0.577 without, 0.593 with.
 */
export function adeCharFeatures(text: string): string[] {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    if (w.length < 4) continue;
    const s = ` ${w} `;
    for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= s.length; i++) out.add(`ch:${s.slice(i, i + n)}`);
  }
  return [...out];
}
