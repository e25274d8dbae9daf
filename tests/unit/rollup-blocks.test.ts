import { mentionIdOfRollupBlock, ROLLUP_ACTION, rollupMessage, rollupPageMessage, rollupSummary } from '../../blocks/rollup';
import { LIMITS } from '../../blocks/limits';
import { firstWords, type RollupItem, type RollupView } from '../../src/domain/rollup';
import { ROLLUP_PAGE_SIZE } from '../../src/store/rollups';

const view = (over: Partial<RollupView> = {}): RollupView => ({
  rollupId: 9,
  count: 37,
  since: '2026-12-01T10:02:00.000Z',
  latest: '2026-12-01T10:05:30.000Z',
  byStance: { positive: 12, neutral: 21, negative: 4 },
  byProduct: [{ product: 'Velorixan', n: 37 }],
  ...over,
});

const item = (i: number, over: Partial<RollupItem> = {}): RollupItem => ({
  mentionId: 100 + i,
  author: { handle: `dr${i}`, name: `Dr. Number ${i}` },
  text: `Post ${i} about Velorixan at the congress, with a few more words than the line shows, and then some more.`,
  url: `https://x.com/dr${i}/status/${i}`,
  sentiment: 'neutral',
  postedAt: '2026-12-01T10:03:00.000Z',
  card: null,
  ...over,
});

test('the roll-up message: the summary the issue asks for, in two blocks, with a plain fallback', () => {
  const msg = rollupMessage(view());
  expect(msg.text).toBe('37 more posts about Velorixan since 10:02 UTC: 21 neutral, 12 positive, 4 negative');
  expect(msg.blocks).toHaveLength(2);
  expect(msg.blocks[0]).toEqual({
    type: 'section',
    block_id: 'rollup:9',
    text: { type: 'mrkdwn', text: ':package: *37 more posts about Velorixan since <!date^1796119320^{time}|2026-12-01 10:02 UTC>: 21 neutral, 12 positive, 4 negative*' },
  });
  expect(JSON.stringify(msg.blocks[1])).toContain('Open any of them as a full card from the thread.');
});

test('the summary names at most three products (escaped, most first) and skips empty stances', () => {
  const many = view({
    count: 8,
    byStance: { positive: 0, neutral: 8, negative: 0 },
    byProduct: [
      { product: 'A<b>', n: 1 },
      { product: 'Velorixan', n: 4 },
      { product: null, n: 1 },
      { product: 'Zentiva', n: 1 },
      { product: 'Other & Co', n: 1 },
    ],
  });
  expect(rollupSummary(many, '10:02')).toBe('8 more posts about Velorixan, A&lt;b&gt;, Other &amp; Co and 1 more product since 10:02: 8 neutral');
  expect(rollupSummary(view({ count: 1, byStance: { positive: 1, neutral: 0, negative: 0 }, byProduct: [{ product: null, n: 1 }] }), '10:02')).toBe('1 more post since 10:02: 1 positive');
  // However long the product names, the texts stay within Block Kit's limits.
  const huge = rollupMessage(view({ byProduct: Array.from({ length: 400 }, (_, i) => ({ product: `${'P'.repeat(500)}${i}`, n: 1 })) }));
  expect((huge.blocks[0] as any).text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
  expect(huge.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
});

test('a page: a heading and one line per post with author, first words, link and Open as card; a full page stays within 50 blocks', () => {
  const msg = rollupPageMessage({ rollupId: 9, page: 1, firstIndex: ROLLUP_PAGE_SIZE, items: [item(0), item(1, { sentiment: 'negative' })] });
  expect(msg.text).toBe(`Posts ${ROLLUP_PAGE_SIZE + 1}–${ROLLUP_PAGE_SIZE + 2} of this roll-up: Dr. Number 0, Dr. Number 1`);
  expect(msg.blocks[0]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `Posts ${ROLLUP_PAGE_SIZE + 1}–${ROLLUP_PAGE_SIZE + 2} of this roll-up` }] });
  expect(msg.blocks[1]).toEqual({
    type: 'section',
    block_id: 'rollup_item:100',
    text: {
      type: 'mrkdwn',
      text:
        ':white_circle: *Dr. Number 0* (@dr0) · <!date^1796119380^{date_short} {time}|2026-12-01 10:03 UTC> · <https://x.com/dr0/status/0|post>\n' +
        'Post 0 about Velorixan at the congress, with a few more words than the…',
    },
    accessory: { type: 'button', action_id: ROLLUP_ACTION.openAsCard, text: { type: 'plain_text', text: 'Open as card' }, value: '100' },
  });
  expect((msg.blocks[2] as any).text.text.startsWith(':red_circle: ')).toBe(true);
  expect(mentionIdOfRollupBlock((msg.blocks[1] as any).block_id)).toBe(100);
  expect(mentionIdOfRollupBlock('alert:100')).toBeNull();

  const full = rollupPageMessage({ rollupId: 9, page: 0, firstIndex: 0, items: Array.from({ length: ROLLUP_PAGE_SIZE }, (_, i) => item(i)) });
  expect(full.blocks).toHaveLength(ROLLUP_PAGE_SIZE + 1);
  expect(full.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
});

test('user text is escaped and cut to fit; a card opened from the page replaces the button with its link', () => {
  const hostile = item(3, {
    author: { handle: 'x<y', name: '<!channel> & <@U123>' },
    text: `<!here> ${'&<>'.repeat(2000)}`,
    url: 'javascript:alert(1)',
  });
  const line = (rollupPageMessage({ rollupId: 9, page: 0, firstIndex: 0, items: [hostile] }).blocks[1] as any).text.text as string;
  expect(line).toContain('*&lt;!channel&gt; &amp; &lt;@U123&gt;* (@x&lt;y)');
  expect(line).toContain('&lt;!here&gt;');
  expect(line).not.toMatch(/<!here>|<!channel>|javascript:/);
  expect(line.length).toBeLessThanOrEqual(LIMITS.sectionText);

  const opened = rollupPageMessage({
    rollupId: 9,
    page: 0,
    firstIndex: 0,
    items: [item(4, { card: { openedBy: 'U0REP2', link: 'https://pulse.slack.com/archives/C1/p1' } }), item(5, { card: { openedBy: 'U0REP3', link: null } })],
  });
  const [, withLink, pending] = opened.blocks as any[];
  expect(withLink.text.text).toContain('\n:card_index: <https://pulse.slack.com/archives/C1/p1|Opened as card> by <@U0REP2>');
  expect(withLink.accessory).toBeUndefined();
  expect(pending.text.text).toContain('\n:card_index: Opening as card by <@U0REP3>');
});

test('first words: one line, cut at a word', () => {
  expect(firstWords('one\n two   three', 5)).toBe('one two three');
  expect(firstWords('a b c d e f', 3)).toBe('a b c…');
});
