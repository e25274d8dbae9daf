/**
 * Compiles VADER's word lexicon (vader-sentiment/vader_lexicon.txt: C.J. Hutto, MIT licence;
 * the JS port is Apache-2.0) into src/domain/classifier/vader-words.json, the words the
 * polarity stage imports statically (the domain reads no file at run time). Single words only,
 * |valence| >= 0.5. Run by `npm run train`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OUT = join(__dirname, '..', 'src', 'domain', 'classifier', 'vader-words.json');
const words: Record<string, number> = {};
for (const line of readFileSync(require.resolve('vader-sentiment/vader_lexicon.txt'), 'utf8').split('\n')) {
  const [word, valence] = line.split('\t');
  const v = Number(valence);
  if (word && /^[a-z][a-z'-]*$/.test(word) && Math.abs(v) >= 0.5) words[word] = v;
}
const sorted = Object.fromEntries(Object.entries(words).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(OUT, JSON.stringify({ source: 'VADER lexicon (Hutto & Gilbert 2014, MIT), words with |valence| >= 0.5', words: sorted }) + '\n');
console.log(`${Object.keys(sorted).length} words written to ${OUT}`);
