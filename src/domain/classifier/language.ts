import type { Cue, Language } from '../classification';
import { tokens } from './text';

/**
 * Language of a post, from the function words it uses (articles, pronouns, prepositions) and
 * the letters only some languages have. Written here rather than taken from a library: the
 * general detectors we tried (tinyld: 98% right on our dev posts) cost about 0.3 ms a post,
 * which alone would halve the classifier's throughput, and they mistake English clinical
 * shorthand ("Pt wk 12: EASI 34 -> 6") for German or Spanish. Only en / fr / de / es matter.
 */
const PROFILE: Record<Exclude<Language, 'en'>, string[]> = {
  fr: ['le', 'les', 'des', 'du', 'une', 'et', 'est', 'sous', 'pour', 'chez', 'avec', 'dans', 'sur', 'pas', 'plus', 'mais', 'qui', 'je', 'il', 'elle', 'nous', 'vous', 'mon', 'ma', 'mes', 'ce', 'cette', 'ces', 'au', 'aux', 'été', 'après', 'depuis', 'très', 'sans', 'ou', 'sa', 'ses', 'leur', "quelqu'un", "c'est", "j'ai", "n'est", "d'un", "d'une", 'semaines', 'mois', 'patiente', 'déjà', 'aucun', 'aucune', 'encore', 'on', 'ne', 'se', 'peut', 'fait', 'tout', 'nos', 'notre', 'avez', 'êtes', 'quand', 'comme', 'donc', 'alors', 'franchement', 'enfin', 'même'],
  de: ['der', 'die', 'das', 'und', 'ist', 'mit', 'bei', 'unter', 'für', 'nicht', 'ein', 'eine', 'einen', 'einem', 'einer', 'ich', 'wir', 'ihr', 'sie', 'es', 'auf', 'nach', 'von', 'zu', 'im', 'den', 'dem', 'des', 'auch', 'noch', 'nur', 'aber', 'oder', 'wie', 'was', 'kein', 'keine', 'keinen', 'mehr', 'wieder', 'schon', 'seit', 'meine', 'meiner', 'meinem', 'meinen', 'unser', 'unsere', 'unserem', 'hat', 'haben', 'wird', 'sind', 'war', 'kann', 'man', 'jetzt', 'bitte', 'wochen', 'monaten', 'patientin', 'gibt', 'jemand', 'hier', 'sehr', 'heute', 'ganz', 'doch', 'dass', 'wenn', 'uns', 'vom', 'zum', 'zur', 'ob'],
  es: ['el', 'los', 'las', 'del', 'y', 'con', 'por', 'para', 'una', 'es', 'se', 'lo', 'su', 'sus', 'mi', 'mis', 'al', 'pero', 'ya', 'muy', 'más', 'sin', 'hay', 'ha', 'han', 'está', 'están', 'como', 'alguien', 'paciente', 'pacientes', 'semanas', 'meses', 'hoy', 'también', 'tengo', 'cuando', 'porque', 'años', 'ningún', 'ninguna', 'otra', 'otro', 'vez', 'qué', 'cómo', 'cuál', 'bien', 'hace', 'desde', 'sí', 'nos', 'nuestro', 'nuestros', 'este', 'esta', 'eso', 'pero', 'fármaco', 'tras', 'hasta', 'sobre', 'entre', 'todos'],
};
// Words two of the languages share count for both but weigh less.
const SHARED = new Set(['la', 'de', 'en', 'un', 'que', 'no', 'a', 'le']);
const EN = new Set(['the', 'and', 'is', 'was', 'are', 'with', 'for', 'on', 'of', 'to', 'my', 'this', 'that', 'it', 'in', 'at', 'but', 'not', 'have', 'has', 'had', 'what', 'anyone', 'just', 'after', 'we', 'our', 'you', 'your', 'be', 'been', 'how', 'do', 'does', 'i', "i'm", 'he', 'she', 'his', 'her', 'they', 'from', 'about', 'so', 'any', 'or', 'if', 'than', 'then', 'still', 'back', 'wk', 'pt', 'pts', 'week', 'weeks', 'months', 'who', 'why', 'when', 'would', 'should', 'can', 'will', 'its', "it's", 'into', 'over', 'out', 'up', 'down', 'now', 'today', 'got', 'there']);
const LOOKUP = new Map<string, Language[]>();
for (const [lang, ws] of Object.entries(PROFILE) as [Language, string[]][]) for (const w of ws) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang]);

const LETTERS: [Language, RegExp][] = [
  ['es', /[ñ¿¡]/g],
  ['de', /[äöüß]/gi],
  ['fr', /[çœàèêëîïôûù]/gi],
];

export interface LanguageFinding {
  language: Language;
  cues: Cue[];
}

export function detectLanguage(text: string): LanguageFinding {
  const score: Record<Language, number> = { en: 0, fr: 0, de: 0, es: 0 };
  const seen: Record<Language, string[]> = { en: [], fr: [], de: [], es: [] };
  for (const t of tokens(text)) {
    if (EN.has(t)) score.en += 1;
    const langs = LOOKUP.get(t);
    if (langs) {
      for (const l of langs) {
        score[l] += 1 / langs.length;
        if (seen[l].length < 3 && !seen[l].includes(t)) seen[l].push(t);
      }
    } else if (SHARED.has(t)) {
      score.fr += 0.3;
      score.es += 0.3;
    }
  }
  for (const [l, re] of LETTERS) {
    const n = text.match(re)?.length ?? 0;
    score[l] += Math.min(n, 4) * 0.5;
  }
  let best: Language = 'en';
  for (const l of ['fr', 'de', 'es'] as const) if (score[l] > score[best]) best = l;
  // English stays unless another language clearly leads: brand names and lab shorthand are noise.
  if (best !== 'en' && score[best] < Math.max(2, score.en * 1.2)) best = 'en';
  if (best === 'en') return { language: 'en', cues: [] };
  return { language: best, cues: [{ words: seen[best].join(', '), reason: `written in ${NAMES[best]}` }] };
}

const NAMES: Record<Language, string> = { en: 'English', fr: 'French', de: 'German', es: 'Spanish' };
