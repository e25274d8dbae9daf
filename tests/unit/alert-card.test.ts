import { buildAlertCard } from '../../blocks/alert-card';
import { escapeMrkdwn, mrkdwnLink } from '../../blocks/escape';
import type { AlertView } from '../../src/domain/alert-view';
import { recommendedActions } from '../../src/domain/playbook';
import { cardText, findControl } from '../support/harness';

const view = (over: Partial<AlertView> = {}): AlertView => ({
  mentionId: 7,
  version: 1,
  source: 'x',
  externalId: '1',
  url: 'https://x.com/drjane/status/1',
  author: { handle: 'drjane', name: 'Dr. Jane Doe' },
  text: 'Zentiva discontinued due to nausea in two patients.',
  textFromReporter: false,
  postedAt: '2026-11-26T10:00:00.000Z',
  product: 'Zentiva',
  via: 'webhook',
  reportedBy: null,
  sentiment: { label: 'negative', score: -0.49, cues: ['discontinued due to'] },
  adverseEvent: { possible: false, cues: { harm: [], product: [], patient: [], link: [] }, reportBy: null },
  hcp: { name: 'Dr. Jane Doe', isTarget: true, specialty: 'Oncology', institution: 'St. Mary <Hospital>' },
  actions: recommendedActions('negative', true),
  followUp: { dueAt: '2026-12-03T10:00:00.000Z', status: 'pending' },
  sphere: [{ handle: 'drbob', name: 'Dr. Bob', why: 'St. Mary <Hospital>' }],
  status: { state: 'open', assignee: null, doneBy: null, doneAt: null, doneReason: null, emailDraftedBy: null },
  pv: null,
  medical: null,
  ...over,
});

test('escaping covers exactly &, < and >, & first', () => {
  expect(escapeMrkdwn('a & <b> &amp;')).toBe('a &amp; &lt;b&gt; &amp;amp;');
  expect(mrkdwnLink('javascript:alert(1)', 'x')).toBe('x');
  expect(mrkdwnLink('https://x.com/a|b>c', 'see <here>')).toBe('<https://x.com/a%7Cb%3Ec|see &lt;here&gt;>');
});

test('the card shows sentiment, why, author, target flag, actions, follow-up and controls', () => {
  const card = buildAlertCard(view());
  const text = cardText(card.blocks);
  expect(text).toContain('*Negative* mention by *Dr. Jane Doe* (@drjane) · *Target HCP*');
  expect(text).toContain('Why *Negative*: “discontinued due to”');
  expect(text).toContain('St. Mary &lt;Hospital&gt;');
  expect(text).toContain('Recommended private actions');
  expect(text).toContain('sphere of influence');
  expect(text).toContain('Dr. Bob (@drbob');
  expect(text).toContain('Follow-up due <!date^');
  expect(text).toContain('Open · unassigned');
  expect(findControl(card.blocks, 'Draft email')?.value).toBe('7');
  expect(card.text).toBe('Negative mention by Dr. Jane Doe (@drjane): Zentiva discontinued due to nausea in two patients.');
});

test('a post holding <!channel> and a disguised link is escaped everywhere', () => {
  const card = buildAlertCard(view({ text: '<!channel> read <https://evil.example|click> & more', author: { handle: 'drjane', name: '<!here>' } }));
  const all = JSON.stringify(card);
  expect(all).not.toContain('<!channel>');
  expect(all).not.toContain('<!here>');
  expect(all).not.toContain('<https://evil.example');
  expect(cardText(card.blocks)).toContain('&lt;!channel&gt; read &lt;https://evil.example|click&gt; &amp; more');
  expect(card.text).toContain('&lt;!here&gt;');
});

test('a possible adverse event says so and gives the PV deadline', () => {
  const card = buildAlertCard(view({ adverseEvent: { possible: true, cues: { harm: ['nausea'], product: ['zentiva'], patient: ['patients'], link: [] }, reportBy: '2026-11-30T20:00:00.000Z' } }));
  const text = cardText(card.blocks);
  expect(text).toContain('*Possible adverse event*');
  expect(text).toContain('pharmacovigilance within one business day (by <!date^1796068800^{date_short_pretty} at {time}|2026-11-30 20:00 UTC>)');
  expect(card.text.startsWith('Possible adverse event.')).toBe(true);
  const pv = buildAlertCard(view({ adverseEvent: { possible: true, cues: { harm: ['nausea'], product: [], patient: [], link: [] }, reportBy: '2026-11-30T20:00:00.000Z' } }), 'pv');
  expect(findControl(pv.blocks, 'Draft email')).toBeUndefined();
});

test('a done card offers Reopen instead of the spent controls', () => {
  const card = buildAlertCard(view({ status: { state: 'done', assignee: 'U1', doneBy: 'U1', doneAt: '2026-11-27T10:00:00Z', doneReason: 'contacted', emailDraftedBy: 'U1' } }));
  expect(findControl(card.blocks, 'Reopen')).toBeDefined();
  expect(findControl(card.blocks, 'Snooze')).toBeUndefined();
  expect(findControl(card.blocks, 'Mark done')).toBeUndefined();
  expect(cardText(card.blocks)).toContain('Done by <@U1>');
  expect(cardText(card.blocks)).toContain('Email drafted by <@U1>');
});

test('Block Kit limits hold for a maximal post', () => {
  const card = buildAlertCard(view({ text: '<&>'.repeat(3334), author: { handle: 'h', name: 'N'.repeat(200) } }));
  expect(card.blocks.length).toBeLessThanOrEqual(50);
  for (const b of card.blocks as any[]) {
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const e of b.elements ?? []) {
      if (e.type === 'mrkdwn') expect(e.text.length).toBeLessThanOrEqual(3000);
      if (e.type === 'button') expect(e.text.text.length).toBeLessThanOrEqual(75);
      for (const o of e.options ?? []) expect(o.value.length).toBeLessThanOrEqual(75);
    }
  }
  // Never an entity cut in half.
  expect(cardText(card.blocks)).not.toMatch(/&(?:a|am|l|g)?…/);
  expect(card.text.length).toBeLessThanOrEqual(4000);
});
