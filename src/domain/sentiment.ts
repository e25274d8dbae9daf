import { readFileSync } from 'node:fs';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import { applyClinicalRules } from './clinical-lexicon';
import type { Sentiment } from './mention';

/**
 * Sentiment of a post: VADER (a lexicon and rules tuned for social-media text) on the text
 * with clinical phrases masked, plus the clinical rules' own valence. Pure and synchronous.
 */
export interface SentimentResult {
  label: Sentiment;
  /** -1 (most negative) to +1 (most positive), VADER's compound scale. */
  score: number;
  /** The words and phrases that decided it, strongest first. */
  cues: string[];
}

/** VADER's own convention for the neutral band of the compound score. */
export const NEUTRAL_BAND = 0.05;
const ALPHA = 15;
const MAX_CUES = 5;

const LEXICON: ReadonlyMap<string, number> = new Map(
  readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((f) => f.length >= 2 && /^[a-z][a-z'-]*$/.test(f[0]!))
    .map((f) => [f[0]!, Number(f[1])] as const),
);

const NEGATIONS = /^(?:not|no|never|none|nobody|nothing|neither|nor|nowhere|without|cannot|hardly|barely|\w+n't)$/i;

// The JS port of VADER recognises negations only in lower case ("Not impressed" reads as praise).
const lowerNegations = (text: string) =>
  text.replace(/\b(?:not|no|never|none|nobody|nothing|neither|nor|nowhere|without|cannot|\w+n't)\b/gi, (w) => w.toLowerCase());

const normalize = (sum: number) => sum / Math.sqrt(sum * sum + ALPHA);
const denormalize = (compound: number) => {
  const c = Math.max(-0.9999, Math.min(0.9999, compound));
  return (c * Math.sqrt(ALPHA)) / Math.sqrt(1 - c * c);
};

export const labelFor = (score: number): Sentiment =>
  score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';

/** Undo the HTML entities that feeds and Slack leave in text, so "&amp;" is not a word. */
const decodeEntities = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export function classifySentiment(rawText: string): SentimentResult {
  const text = decodeEntities(rawText);
  const { masked, hits } = applyClinicalRules(text);
  const vader = SentimentIntensityAnalyzer.polarity_scores(lowerNegations(masked)).compound;
  const clinical = hits.reduce((s, h) => s + h.valence, 0);
  const score = hits.length === 0 ? vader : normalize(denormalize(vader) + clinical);
  const rounded = Math.round(score * 1000) / 1000;
  const label = labelFor(rounded);
  return { label, score: rounded, cues: label === 'neutral' ? [] : cuesFor(masked, hits, label) };
}

function cuesFor(masked: string, hits: { cue: string; valence: number }[], label: Sentiment): string[] {
  const sign = label === 'positive' ? 1 : -1;
  const candidates: { cue: string; weight: number }[] = hits.map((h) => ({ cue: h.cue, weight: h.valence * sign }));
  const words = masked.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
  words.forEach((w, i) => {
    const v = LEXICON.get(w);
    if (v === undefined || Math.abs(v) < 0.9) return;
    const negated = [words[i - 1], words[i - 2]].some((p) => p !== undefined && NEGATIONS.test(p));
    const valence = negated ? -v : v;
    candidates.push({ cue: negated ? `${words[i - 1] && NEGATIONS.test(words[i - 1]!) ? words[i - 1] : words[i - 2]} ${w}` : w, weight: valence * sign });
  });
  const seen = new Set<string>();
  return candidates
    .filter((c) => c.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((c) => c.cue)
    .filter((c) => !seen.has(c) && seen.add(c))
    .slice(0, MAX_CUES);
}
