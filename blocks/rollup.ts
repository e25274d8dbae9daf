import type { KnownBlock, SectionBlock } from '@slack/types';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { firstWords, type RollupItem, type RollupPageView, type RollupView } from '../src/domain/rollup';
import { escapeMrkdwn, mrkdwnLink, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { context } from './kit';

/**
 * A burst roll-up (README, "Bursts"): one message that summarises a channel's folded
 * low-priority posts, counts only, so it stays a few blocks however large the burst; and the
 * pages of its thread, each listing up to a page of posts (author, first words, link, and
 * **Open as card**). Every user string is escaped here; every text stays within Block Kit's
 * limits (blocks/limits.ts).
 */
export const ROLLUP_ACTION = {
  /** Open as card beside a post in a roll-up page: its block is `rollup_item:<mention id>`. */
  openAsCard: 'rollup_open_card',
} as const;

/** The mention a roll-up line's Open as card belongs to; null for any other block. */
export const mentionIdOfRollupBlock = (blockId: string | undefined): number | null => {
  const m = /^rollup_item:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
};

const EMOJI: Record<Sentiment, string> = { positive: ':large_green_circle:', neutral: ':white_circle:', negative: ':red_circle:' };
/** Products named in the summary; more are counted ("and 3 more products"). */
const PRODUCTS_NAMED = 3;
const PRODUCT_CHARS = 60;

export interface RollupMessage {
  text: string;
  blocks: KnownBlock[];
}

/** "37 more posts about Velorixan since 10:02: 21 neutral, 12 positive, 4 negative" (escaped mrkdwn). */
export function rollupSummary(v: RollupView, time: string): string {
  const posts = v.count === 1 ? '1 more post' : `${v.count} more posts`;
  const named = v.byProduct.filter((p): p is { product: string; n: number } => Boolean(p.product)).sort((a, b) => b.n - a.n || a.product.localeCompare(b.product));
  const names = named.slice(0, PRODUCTS_NAMED).map((p) => escapeMrkdwn(truncate(p.product, PRODUCT_CHARS)));
  const others = named.length - names.length;
  const about =
    names.length === 0 ? '' : others > 0 ? ` about ${names.join(', ')} and ${others} more product${others === 1 ? '' : 's'}` : ` about ${joinAnd(names)}`;
  const stances = SENTIMENTS.map((s) => ({ s, n: v.byStance[s] ?? 0 }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)
    .map((x) => `${x.n} ${x.s}`)
    .join(', ');
  return `${posts}${about} since ${time}: ${stances}`;
}

const joinAnd = (xs: string[]): string => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The roll-up message itself: what a rep reads instead of a card per post. */
export function rollupMessage(v: RollupView): RollupMessage {
  const plainTime = new Date(Date.parse(v.since)).toISOString().slice(11, 16) + ' UTC';
  const summary = rollupSummary(v, slackDate(v.since, '{time}'));
  return {
    text: truncate(rollupSummary(v, plainTime), LIMITS.fallbackText),
    blocks: [
      { type: 'section', block_id: `rollup:${v.rollupId}`, text: { type: 'mrkdwn', text: truncate(`:package: *${summary}*`, LIMITS.sectionText) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text:
              `A burst: these posts have no possible adverse event, no medical question and are not negative posts by a target HCP, so they are listed in this thread instead of one card each (priority posts still get their own card, first). ` +
              `Open any of them as a full card from the thread. Latest post ${slackDate(v.latest, '{time}')}.`,
          },
        ],
      },
    ],
  };
}

/** One post's line on a page: who, when, the first words, the link, and Open as card (or its card). */
function itemSection(item: RollupItem): SectionBlock {
  const who = `*${escapeMrkdwn(truncate(item.author.name ?? `@${item.author.handle}`, 80))}*${item.author.name ? ` (@${escapeMrkdwn(truncate(item.author.handle, 60))})` : ''}`;
  const words = truncateEscaped(firstWords(item.text), 280, escapeMrkdwn).text;
  // A link too long to keep within the section's limit is left out; the card has it.
  const link = item.url && item.url.length <= 1000 ? ` · ${mrkdwnLink(item.url, 'post')}` : '';
  const card = item.card
    ? `\n:card_index: ${item.card.link ? mrkdwnLink(item.card.link, 'Opened as card') : 'Opening as card'}${item.card.openedBy ? ` by ${userRef(item.card.openedBy)}` : ''}`
    : '';
  const text = `${EMOJI[item.sentiment]} ${who} · ${slackDate(item.postedAt, '{date_short} {time}')}${link}\n${words}${card}`;
  const section: SectionBlock = { type: 'section', block_id: `rollup_item:${item.mentionId}`, text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
  if (!item.card) section.accessory = { type: 'button', action_id: ROLLUP_ACTION.openAsCard, text: { type: 'plain_text', text: 'Open as card' }, value: String(item.mentionId) };
  return section;
}

/** A page of the roll-up's thread: a heading and one line per post (at most 49: with the heading, Block Kit's 50 blocks). */
export function rollupPageMessage(v: RollupPageView): RollupMessage {
  const items = v.items.slice(0, LIMITS.messageBlocks - 1);
  const range = `${v.firstIndex + 1}–${v.firstIndex + items.length}`;
  const names = items.map((i) => escapeMrkdwn(truncate(i.author.name ?? `@${i.author.handle}`, 80))).join(', ');
  return {
    text: truncate(`Posts ${range} of this roll-up: ${names}`, LIMITS.fallbackText),
    blocks: [context(`Posts ${range} of this roll-up`), ...items.map(itemSection)],
  };
}
