import { escapeRegExp } from './text';

/**
 * The product a mention is about (the webhook's `product`) and the other names it goes by
 * (its generic name), so a stage can tell "on Velorixan" or "on lorixatinib" from "on
 * osimertinib". Built once per product and reused.
 */
export interface Products {
  /** The product's name as the mention gives it, if any. */
  name: string | null;
  /** Whether the mention came with a product (the sender says the post is about it). */
  given: boolean;
  /** The first of our names the text uses, as written there. */
  firstMention(text: string): string | null;
  mentionedIn(text: string): boolean;
  isOurs(word: string): boolean;
  /** Our names as a global pattern (null when none), for finding every mention. */
  pattern: RegExp | null;
}

const cache = new Map<string, Products>();

export function products(name: string | null | undefined, aliases: readonly string[] = []): Products {
  const key = `${name ?? ''}|${aliases.join('|')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const names = [name, ...aliases].filter((x): x is string => Boolean(x?.trim())).map((x) => x.trim());
  const re = names.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${names.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'iu') : null;
  const lower = new Set(names.map((n) => n.toLowerCase()));
  const p: Products = {
    name: name?.trim() || null,
    given: Boolean(name?.trim()),
    firstMention: (text) => (re ? (re.exec(text)?.[0] ?? null) : null),
    mentionedIn: (text) => (re ? re.test(text) : false),
    isOurs: (word) => lower.has(word.toLowerCase()),
    pattern: re ? new RegExp(re.source, 'giu') : null,
  };
  if (cache.size > 1000) cache.clear();
  cache.set(key, p);
  return p;
}
