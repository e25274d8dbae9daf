/**
 * Text helpers shared by the classifier's stages: entity decoding, Unicode-aware word
 * patterns (JavaScript's \b knows only ASCII, so "é" or "ü" would end a word), sentences.
 */

/** Feeds and Slack leave HTML entities in text; "&amp;" is not a word. */
export const decodeEntities = (t: string): string =>
  t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

const L = '\\p{L}\\p{N}';
/** A pattern of alternatives matched as whole words, case-insensitive, Unicode-aware. */
export const words = (alternatives: readonly string[], flags = 'giu'): RegExp =>
  new RegExp(`(?<![${L}])(?:${alternatives.join('|')})(?![${L}])`, flags);

/** Same, from a raw regexp source (already alternatives). */
export const wordsRe = (source: string, flags = 'giu'): RegExp => new RegExp(`(?<![${L}])(?:${source})(?![${L}])`, flags);

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

/** The sentence holding a position. */
export const sentenceAt = (spans: Span[], index: number): Span =>
  spans.find((s) => index >= s.start && index < s.start + s.text.length) ?? spans[spans.length - 1]!;

/** Lower-case tokens (letters, digits, apostrophes inside words; emoji as their own token). */
export const tokens = (text: string): string[] =>
  text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}]/gu) ?? [];

export const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Shortens a cue to what a rep can read at a glance. */
export const clip = (s: string, max = 60): string => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
};
