import { SENTIMENTS, type Sentiment } from '../mention';
import { tokens } from './text';
import type { Products } from './products';

/**
 * A multinomial logistic regression over the stance features and the post's words, trained
 * by `npm run train` on the HCP corpus's dev part only (never on the test part). The weights
 * ship as JSON beside this file and are imported statically: nothing is read at run time.
 */
export interface StanceWeights {
  classes: Sentiment[];
  bias: number[];
  weights: Record<string, number[]>;
  meta: Record<string, unknown>;
}

/** Words of the post as model features: our product's names and numbers made generic. */
export function wordFeatures(text: string, products: Products): string[] {
  const toks = tokens(text).map((t) => (/^\d/.test(t) ? '<num>' : products.isOurs(t) ? '<product>' : t));
  const out = new Set<string>();
  for (let i = 0; i < toks.length; i++) {
    out.add(`w:${toks[i]}`);
    if (i > 0) out.add(`b:${toks[i - 1]}_${toks[i]}`);
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
  const addFeature = (name: string, value: number) => {
    const w = weights.weights[name];
    if (!w) return;
    const push = w.map((x) => x * value);
    push.forEach((p, k) => (z[k]! += p));
    contributions.push({ feature: name, value, push });
  };
  for (const [name, value] of Object.entries(features)) addFeature(name, value);
  for (const name of wordFeats) addFeature(name, 1);
  const max = Math.max(...z);
  const exp = z.map((x) => Math.exp(x - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probabilities = Object.fromEntries(weights.classes.map((c, k) => [c, exp[k]! / sum])) as Record<Sentiment, number>;
  for (const s of SENTIMENTS) probabilities[s] ??= 0;
  return { probabilities, contributions };
}
