import type { Sentiment } from './mention';

/**
 * What a burst roll-up shows (blocks/rollup.ts renders it): the message that summarises a
 * channel's folded low-priority posts, and the pages of its thread that list each of them.
 */
export interface RollupView {
  rollupId: number;
  /** Posts folded into it so far. */
  count: number;
  /** When the first post was folded, and the latest (ISO 8601). */
  since: string;
  latest: string;
  byStance: Record<Sentiment, number>;
  /** Products named by the posts, most first (null: no product named). */
  byProduct: { product: string | null; n: number }[];
}

export interface RollupItem {
  mentionId: number;
  author: { handle: string; name: string | null };
  text: string;
  url: string | null;
  sentiment: Sentiment;
  postedAt: string;
  /** A rep asked for the post's full card (Open as card); link: the card, once posted. */
  card: { openedBy: string | null; link: string | null } | null;
}

export interface RollupPageView {
  rollupId: number;
  page: number;
  /** Position of the page's first post in the roll-up (0-based). */
  firstIndex: number;
  items: RollupItem[];
}

/** The first words of a post, on one line (the page shows them; the card shows the whole post). */
export function firstWords(text: string, words = 14): string {
  const all = text.replace(/\s+/g, ' ').trim().split(' ');
  return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')}…`;
}
