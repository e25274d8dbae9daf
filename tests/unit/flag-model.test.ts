import { flagProbability, flagTokens, ngramFeatures, phraseLexicon, tagPhrases } from '../../src/domain/classifier/flag-model';
import { pickThreshold, prAt, trainLr } from '../../scripts/train-flags';

test('drug-shaped words and numbers become generic tokens, so a model learns "<drug>-induced" once', () => {
  expect(flagTokens('Rituximab-induced neutropenia after 2 cycles')).toEqual(['<drug>', 'induced', 'neutropenia', 'after', '<num>', 'cycles']);
  expect(flagTokens('Talvency rash', (w) => w === 'talvency')).toEqual(['<drug>', 'rash']);
  expect(ngramFeatures(['a', 'b'])).toEqual(['w:a', 'w:b', 'b:a_b']);
});

test('known phrases are tagged longest first', () => {
  const lex = phraseLexicon({ '<harm>': ['renal failure', 'acute renal failure'], '<drug>': ['gold'] });
  expect(tagPhrases(['acute', 'renal', 'failure', 'on', 'gold'], lex)).toEqual(['<harm>', 'on', '<drug>']);
  expect(tagPhrases(['renal', 'function'], lex)).toEqual(['renal', 'function']);
});

test('training is deterministic and learns which words mark the flag', () => {
  const feats = [['w:rash', 'w:pt'], ['w:great', 'w:pt'], ['w:rash'], ['w:great'], ['w:rash', 'w:today'], ['w:great', 'w:today']];
  const y = [true, false, true, false, true, false];
  const opts = { l2: 1e-3, epochs: 50, rate: 0.1, minCount: 1 };
  const a = trainLr(feats, y, opts);
  expect(trainLr(feats, y, opts)).toEqual(a);
  const w = { ...a, threshold: 0.5, meta: {} };
  expect(flagProbability(w, ['w:rash'])).toBeGreaterThan(0.5);
  expect(flagProbability(w, ['w:great'])).toBeLessThan(0.5);
});

test('the threshold is the highest one that still reaches the recall aimed at', () => {
  const probs = [0.9, 0.6, 0.3, 0.2, 0.1];
  const y = [true, true, true, false, false];
  expect(pickThreshold(probs, y, 1)).toBe(0.3);
  expect(prAt(probs, y, 0.3)).toEqual({ recall: 1, precision: 1 });
  expect(pickThreshold(probs, y, 0.6)).toBe(0.6);
});
