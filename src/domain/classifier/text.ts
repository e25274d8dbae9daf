/**
 * Text helpers shared by the classifier's stages: entity decoding, Unicode-aware word
 * patterns (JavaScript's \b knows only ASCII, so "é" or "ü" would end a word), sentences.
 */

/** Feeds and Slack leave HTML entities in text; "&amp;" is not a word. */
export const decodeEntities = (t: string): string =>
  t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const L = '\\p{L}\\p{N}';
/** A pattern of alternatives matched as whole words, case-insensitive, Unicode-aware. */
export const words = (alternatives: readonly string[], flags = 'giu'): RegExp => wordsRe(alternatives.join('|'), flags);

/** Same, from a raw regexp source (already alternatives). */
export const wordsRe = (source: string, flags = 'giu'): RegExp => new RegExp(`(?<![${L}])(?:${factorAlternatives(source, flags)})(?![${L}])`, flags);

/**
 * The same alternation with common leading letters factored out ("rash|rashes|renal failure"
 * → "r(?:ash|ashes|enal failure)"), so that at each word the regexp engine tries one branch
 * per first letter instead of every word of a list hundreds long: the word lists are most of
 * the classifier's time. It matches exactly what the plain alternation matches: the engine
 * takes the first alternative that succeeds, and only alternatives that begin with the same
 * letter (under the pattern's case folding) can succeed at the same place, so their order is
 * kept while different letters' are grouped; an alternative that does not begin with a plain
 * letter (a group, a class, an escape, an optional letter) keeps its place and splits the
 * groups around it. Sources with capturing groups or backreferences are left as written.
 */
export function factorAlternatives(source: string, flags: string): string {
  const alternatives = topLevelAlternatives(source);
  const unicode = flags.includes('u');
  // Without /u, V8's case-insensitive matching of a few letters ("ſ") differs between contexts: left as written.
  if (!alternatives || alternatives.length < 8 || (!unicode && flags.includes('i')) || /\((?!\?)|\(\?<(?![=!])|\\[1-9]|\\k/.test(source)) return source;
  const sameLetter = letterMatcher(flags.replace(/[gy]/g, ''), unicode);
  const factor = (alts: string[]): string => {
    if (alts.length === 1) return alts[0]!;
    const out: string[] = [];
    let groups: { letter: string; alts: string[]; rests: string[] }[] = [];
    const flush = () => {
      for (const g of groups) out.push(g.alts.length === 1 ? g.alts[0]! : `${g.letter}(?:${factor(g.rests)})`);
      groups = [];
    };
    for (const alt of alts) {
      const head = leadingLetter(alt, unicode);
      if (head === null) {
        flush();
        out.push(alt);
        continue;
      }
      const rest = alt.slice(head.length);
      const g = groups.find((x) => sameLetter(x.letter, head));
      if (g) {
        g.alts.push(alt);
        g.rests.push(rest);
      } else groups.push({ letter: head, alts: [alt], rests: [rest] });
    }
    flush();
    return out.join('|');
  };
  return factor(alternatives);
}

/** A source's top-level alternatives, or null when it does not parse as balanced. */
function topLevelAlternatives(source: string): string[] | null {
  const out: string[] = [];
  let depth = 0, inClass = false, start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return depth === 0 && !inClass ? out : null;
}

const SYNTAX = new Set('\\^$.|?*+()[]{}');
const QUANTIFIER = new Set('?*+{');
/** The plain character an alternative must begin with (not optional, not repeated), else null. */
function leadingLetter(alt: string, unicode: boolean): string | null {
  if (!alt || SYNTAX.has(alt[0]!)) return null;
  const cp = alt.codePointAt(0)!;
  if (cp >= 0xd800 && (!unicode || cp <= 0xdfff)) return null;
  const c = String.fromCodePoint(cp);
  return QUANTIFIER.has(alt[c.length] ?? '') ? null : c;
}

/** Whether two characters match the same characters under these flags (case folding), asked of the engine itself. */
function letterMatcher(flags: string, unicode: boolean): (a: string, b: string) => boolean {
  const escape = (c: string) => (unicode ? `\\u{${c.codePointAt(0)!.toString(16)}}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const known = new Map<string, boolean>();
  return (a, b) => {
    if (a === b) return true;
    const key = `${a}\u0000${b}`;
    let same = known.get(key);
    if (same === undefined) {
      same = new RegExp(`^${escape(a)}$`, flags).test(b) || new RegExp(`^${escape(b)}$`, flags).test(a);
      known.set(key, same);
    }
    return same;
  };
}

export interface Hit {
  words: string;
  index: number;
}

/** Every match of a global pattern, with its position. */
export function hits(re: RegExp, text: string): Hit[] {
  re.lastIndex = 0;
  const out: Hit[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ words: m[0], index: m.index });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

export const first = (re: RegExp, text: string): Hit | null => {
  re.lastIndex = 0;
  const m = re.exec(text);
  return m ? { words: m[0], index: m.index } : null;
};

export const test = (re: RegExp, text: string): boolean => {
  re.lastIndex = 0;
  return re.test(text);
};

/** Sentences and clauses a post is made of, with their offsets (for scopes like negation). */
export interface Span {
  text: string;
  start: number;
}
export function sentences(text: string): Span[] {
  const out: Span[] = [];
  const re = /[^.!?;\n¿¡]+[.!?;\n]*|[¿¡][^?!\n]*[?!]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].trim()) out.push({ text: m[0], start: m.index });
  return out.length ? out : [{ text, start: 0 }];
}

/**
 * The sentence around a position, quoted for the card (clipped to `max`): it ends at a full stop
 * followed by a space or the end, so "4.5 mg", "-14.8%" and "or start at 0.5?" stay whole; the
 * stages' own splitter (`sentences`) cuts at every stop.
 */
export function sentenceAround(text: string, at: number, max: number): string {
  let start = 0;
  for (const m of text.slice(0, at).matchAll(/[.!?;]\s+|\n+/g)) start = m.index + m[0].length;
  const rest = /[.!?;](?=\s|$)|\n/.exec(text.slice(at));
  return clip(text.slice(start, rest ? at + rest.index + 1 : text.length), max);
}

/** The sentence holding a position. */
export const sentenceAt = (spans: Span[], index: number): Span =>
  spans.find((s) => index >= s.start && index < s.start + s.text.length) ?? spans[spans.length - 1]!;

/** Lower-case tokens (letters, digits, apostrophes inside words; emoji as their own token). */
export const tokens = (text: string): string[] =>
  text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]/gu) ?? [];

const maps = new WeakMap<object, Map<string, unknown>>();
/**
 * A word or weights table loaded from JSON, as a Map built once per object, so that every
 * lookup by a post's words reads the table's own keys only. A post's words are user text, and
 * a plain object answers "constructor" or "toString" with a function from its prototype: read
 * as a valence, that made a post of such words Positive with a blank cue. A Map is also the
 * faster lookup: a weights object has thousands of keys (V8 keeps it in dictionary mode) and
 * feature names are built per post ("w:" + word), which an object lookup must first intern.
 * Tables are never changed once looked up.
 */
export function weightMap<V>(table: Readonly<Record<string, V>>): ReadonlyMap<string, V> {
  let m = maps.get(table) as Map<string, V> | undefined;
  if (!m) maps.set(table, (m = new Map(Object.entries(table))));
  return m;
}

/**
 * A model's weights as `npm run train` ships them: the feature names, and each feature's
 * weights (one per class, or one for a flag) row after row in one array of numbers. The
 * shipped JSON stays imported for the life of the process: as an object keyed by feature it
 * cost a dictionary, an array and boxed numbers for every one of ~100,000 features (about
 * 11 MB of the bot's heap); as two arrays it is the names, which the lookup Map shares, and
 * the numbers unboxed.
 */
export interface PackedWeights {
  features: string[];
  values: number[];
}

/** A weights table ready for lookups: where each feature's weights start in `values`, and how many it has. */
export interface WeightRows {
  index: ReadonlyMap<string, number>;
  values: ArrayLike<number>;
  width: number;
}

const isPacked = (t: object): t is PackedWeights => Array.isArray((t as PackedWeights).features) && Array.isArray((t as PackedWeights).values) && Object.keys(t).length === 2;

/** The shipped form of a weights table trained in memory (already packed: as it is). */
export function packWeights(table: Readonly<Record<string, number | readonly number[]>> | PackedWeights): PackedWeights {
  if (isPacked(table)) return table;
  const features = Object.keys(table);
  return { features, values: features.flatMap((f) => table[f]!) };
}

const rowsOf = new WeakMap<object, WeightRows>();
/**
 * A weights table, shipped (packed) or trained in memory (an object by feature), as lookups
 * built once per table: like weightMap, only the table's own features are ever read.
 */
export function weightRows(table: Readonly<Record<string, number | readonly number[]>> | PackedWeights): WeightRows {
  let rows = rowsOf.get(table);
  if (!rows) {
    const { features, values } = packWeights(table);
    const width = features.length ? values.length / features.length : 1;
    const index = new Map<string, number>();
    for (let i = 0; i < features.length; i++) index.set(features[i]!, i * width);
    rowsOf.set(table, (rows = { index, values, width }));
  }
  return rows;
}

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Shortens a cue to what a rep can read at a glance. */
export const clip = (s: string, max = 60): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
};
