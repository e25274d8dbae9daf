import type { Cue, Language } from '../classification';
import { applyClinicalRules } from '../clinical-lexicon';
import lexicon from './vader-words.json';
import { weightMap } from './text';

/**
 * Word polarity with negation scope, intensifiers and "but": VADER's word valences for
 * English (compiled to JSON by scripts/build-lexicon.ts), hand-written ones for French,
 * German and Spanish, on the text with clinical phrases masked ("negative biopsy", "no
 * serious adverse events" read backwards to a general lexicon). VADER's own scorer costs
 * about 1 ms on a clinical post; this one a few microseconds, which is what lets the
 * classifier keep up with a feed.
 */
const VADER = weightMap(lexicon.words as Record<string, number>);

/** Clinical words a general lexicon scores but which, in a clinician's post, are subject matter. */
const SUBJECT_MATTER = new Set([
  'cancer', 'tumor', 'tumour', 'disease', 'pain', 'painful', 'ill', 'illness', 'sick', 'died', 'death', 'fatal', 'risk', 'risks', 'warning', 'hospital', 'emergency', 'attack', 'failure', 'heart', 'negative', 'positive',
  'care', 'help', 'support', 'please', 'like', 'well', 'pretty', 'ok', 'okay', 'yes', 'no', 'free', 'clear', 'cleared', 'significant', 'stable', 'stroke', 'infection', 'worried', 'concerned', 'question', 'questions', 'easy', 'fine',
  'reduced', 'reduction', 'block', 'inhibitor', 'inhibitors', 'shot', 'shots', 'kill', 'killed', 'cut', 'drop', 'dropped', 'dropping', 'lower', 'low', 'high', 'higher', 'pressure', 'fight', 'lost', 'loss', 'damage',
]);

const OTHER_WORDS: Record<Exclude<Language, 'en'>, Record<string, number>> = {
  fr: {
    excellent: 3, excellente: 3, génial: 3, super: 2.5, bien: 1.5, bon: 1.5, bonne: 1.5, efficace: 2, recommande: 2, transformé: 2.5, top: 2.5, bravo: 2.5, ravi: 3, ravie: 3, soulagé: 2, soulagée: 2, abandonnent: -2, souvenir: 0.5, enfin: 1, heureux: 2.5, heureuse: 2.5, merveille: 3, impressionnant: 2.5, simple: 1, rapides: 1, nette: 1,
    déçu: -2.5, déçue: -2.5, décevant: -2.5, dommage: -1.5, indécent: -3, cher: -1, chère: -1, mauvais: -2.5, pire: -3, inutile: -2, problème: -1.5, difficile: -1.5, inquiet: -1.5, inquiète: -1.5, rupture: -1.5, hélas: -1.5, honteux: -3, catastrophe: -3, doutes: -1.5,
  },
  de: {
    super: 2.5, toll: 2.5, segen: 3, endlich: 1.5, bestätigt: 1, genehmigt: 1.5, inakzeptabel: -3, gut: 1.5, gute: 1.5, guter: 1.5, prima: 2.5, top: 2.5, beeindruckend: 3, überzeugt: 2.5, empfehlung: 2, hervorragend: 3, begeistert: 3, zufrieden: 2, freude: 2.5, wirksam: 2, stabil: 1, gern: 1, erste: 0.5,
    enttäuscht: -2.5, enttäuschend: -2.5, schlecht: -2.5, schlechter: -2.5, teurer: -1.5, teuer: -1.5, unfassbar: -2.5, leider: -1.5, problem: -1.5, ärgerlich: -2.5, katastrophe: -3, schade: -1.5, unnötig: -1.5, nichts: -0.5, engpass: -1.5, lieferverzug: -2,
  },
  es: {
    excelente: 3, genial: 3, inaceptable: -3, esperando: -1, aprobado: 1.5, aprobada: 1.5, bien: 1.5, buena: 1.5, bueno: 1.5, buenas: 1.5, gran: 1.5, victoria: 3, maravilla: 3, encanta: 2.5, contento: 2.5, contenta: 2.5, eficaz: 2, recomiendo: 2, mejor: 1.5, feliz: 2.5, ojalá: 1, real: 0.5,
    decepción: -2.5, decepcionante: -2.5, pena: -2, carísimo: -2.5, caro: -1.5, flojo: -2, increíble: -1, peor: -3, malo: -2.5, mala: -2.5, problema: -1.5, lamentable: -3, desastre: -3, rechazó: -2, preocupa: -1.5, demasiado: -1,
  },
};
const OTHER = { fr: weightMap(OTHER_WORDS.fr), de: weightMap(OTHER_WORDS.de), es: weightMap(OTHER_WORDS.es) };

const NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot', "can't", "isn't", "wasn't", "aren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "shouldn't", "couldn't", "haven't", "hasn't", 'hardly', 'barely',
  'pas', 'jamais', 'sans', 'aucun', 'aucune', 'ni', 'nicht', 'kein', 'keine', 'keinen', 'nie', 'ohne', 'nunca', 'sin', 'ningún', 'ninguna', 'tampoco',
]);
const BOOSTERS = new Set(['very', 'really', 'so', 'extremely', 'truly', 'incredibly', 'totally', 'absolutely', 'highly', 'super', 'hugely', 'genuinely', 'seriously', 'honestly', 'frankly', 'literally', 'très', 'vraiment', 'tellement', 'sehr', 'wirklich', 'echt', 'muy', 'realmente', 'tan']);
const DAMPENERS = new Set(['slightly', 'somewhat', 'marginally', 'barely', 'kinda', 'sort', 'little', 'bit', 'mildly', 'un', 'peu', 'etwas', 'algo', 'poco']);
const CONTRAST = new Set(['but', 'however', 'though', 'yet', 'mais', 'cependant', 'aber', 'doch', 'jedoch', 'pero', 'sin embargo']);

export interface Polarity {
  positive: number;
  negative: number;
  /** Words whose polarity was flipped by a negation in scope. */
  negated: number;
  boosted: number;
  cues: Cue[];
}

const TOKEN = /[\p{L}]+(?:['’][\p{L}]+)?/gu;

/** The text with its clinical phrases masked (English), as polarity reads it. */
export const maskClinical = (text: string, language: Language): string => (language === 'en' ? applyClinicalRules(text).masked : text);

/** `premasked`: the text is already through maskClinical (a slice of a masked post), so the masking is not paid again per clause. */
export function polarity(text: string, language: Language, premasked = false): Polarity {
  const masked = premasked ? text : maskClinical(text, language);
  const toks = masked.toLowerCase().match(TOKEN) ?? [];
  const table = language === 'en' ? null : OTHER[language];
  let contrastAt = -1;
  toks.forEach((t, i) => {
    if (CONTRAST.has(t)) contrastAt = i;
  });
  let positive = 0, negative = 0, negated = 0, boosted = 0;
  const found: { words: string; v: number }[] = [];
  const valence = (t: string): number => (table ? (table.get(t) ?? 0) : SUBJECT_MATTER.has(t) ? 0 : (VADER.get(t) ?? 0));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    let v = valence(t);
    if (!v) continue;
    // A booster before a sentiment word only strengthens it ("honestly exhausting", "seriously
    // good"): VADER gives some boosters a valence of their own, which would count twice.
    const next = toks[i + 1];
    if (BOOSTERS.has(t) && next !== undefined && valence(next)) continue;
    const prev = toks[i - 1];
    if (prev && BOOSTERS.has(prev)) {
      v += Math.sign(v) * 0.293;
      boosted++;
    } else if (prev && DAMPENERS.has(prev)) v -= Math.sign(v) * 0.293;
    // Negation scope: three words back, as in VADER ("not at all impressed").
    const neg = [toks[i - 1], toks[i - 2], toks[i - 3]].find((p) => p !== undefined && NEGATORS.has(p));
    if (neg) {
      v *= -0.74;
      negated++;
    }
    // What follows "but" is what the poster means.
    if (contrastAt >= 0) v *= i > contrastAt ? 1.5 : 0.5;
    if (v > 0) positive += v;
    else negative -= v;
    found.push({ words: neg ? `${neg} … ${t}` : t, v });
  }
  const cues = found
    .sort((a, b) => Math.abs(b.v) - Math.abs(a.v))
    .slice(0, 3)
    .map((f) => ({ words: f.words, reason: f.v > 0 ? 'positive wording' : 'negative wording' }));
  return { positive, negative, negated, boosted, cues };
}
