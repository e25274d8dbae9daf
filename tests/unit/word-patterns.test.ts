import { HARM_VOCABULARY } from '../../src/domain/classifier/adverse-event';
import { MQ_VOCABULARY } from '../../src/domain/classifier/medical-question';
import { factorAlternatives, hits, wordsRe } from '../../src/domain/classifier/text';
import { partFiles, readJsonl } from '../../scripts/lib/corpus';

/**
 * wordsRe factors a word list's common first letters for speed; it must match exactly what
 * the plain alternation matches (same places, same words), whatever the lists hold.
 */
const L = '\\p{L}\\p{N}';
const plain = (source: string, flags = 'giu') => new RegExp(`(?<![${L}])(?:${source})(?![${L}])`, flags);
const same = (source: string, texts: string[], flags = 'giu') => {
  const a = plain(source, flags);
  const b = wordsRe(source, flags);
  for (const t of texts) expect({ t, m: hits(b, t) }).toEqual({ t, m: hits(a, t) });
};

test('the harm and medical-question word lists match as written, on every dev post', () => {
  const texts = partFiles('dev').flatMap(readJsonl).map((p) => p.text);
  expect(texts.length).toBeGreaterThan(1000);
  same(HARM_VOCABULARY.join('|'), texts);
  same(MQ_VOCABULARY.join('|'), texts);
  expect(wordsRe(HARM_VOCABULARY.join('|')).source).not.toBe(plain(HARM_VOCABULARY.join('|')).source);
});

test('order within a first letter is kept, and an alternative that does not start with a plain letter keeps its place', () => {
  const source = ['rash', 'r\\w+', 'rashes', 'red', '\\d+ mg', 'rx', 'a', 'ab', 'a?b', 'abc', 'é', 'ÉTÉ', '🙄', 'x'].join('|');
  same(source, ['rashes and red rx', 'ab abc b été ÉTÉ 🙄 5 mg x', 'Rashes REDDISH']);
  // The first alternative that matches wins: "rash" would stop at "rash" in "rashes" were "r\w+" not tried before "rashes".
  expect(hits(wordsRe(source), 'rashes').map((h) => h.words)).toEqual(['rashes']);
  expect(factorAlternatives(source, 'giu')).toContain('\\d+ mg');
});

test('letters are grouped by the pattern’s own case folding (ſ and s, K and k meet under /iu); without /u a case-insensitive list is left as written', () => {
  const source = ['sun', 'ſon', 'kelvin', 'Kilo', 'sa', 'sb', 'sc', 'sd', 'se'].join('|');
  const texts = ['ſun SON Kelvin kilo KILO sa ſa Se'];
  same(source, texts, 'giu');
  same(source, texts, 'gu');
  same(source, texts, 'gi');
  expect(factorAlternatives(source, 'gi')).toBe(source);
});

test('sources with capturing groups or backreferences are left as written', () => {
  const source = ['(a)b', 'ac', 'ad', 'ae', 'af', 'ag', 'ah', 'ai'].join('|');
  expect(factorAlternatives(source, 'giu')).toBe(source);
});
