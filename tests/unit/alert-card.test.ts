import { buildAlertCard } from '../../blocks/alert-card';
import { escapeMrkdwn, mrkdwnLink } from '../../blocks/escape';
import type { AlertView } from '../../src/domain/alert-view';
import { recommendedActions } from '../../src/domain/playbook';
import { cardStage } from '../../src/domain/card-state';
import { cardText, findControl, visibleControls } from '../support/harness';

const view = (over: Partial<Omit<AlertView, 'status'>> & { status?: Partial<AlertView['status']> } = {}): AlertView => ({
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
  classification: null,
  hcp: { name: 'Dr. Jane Doe', isTarget: true, specialty: 'Oncology', institution: 'St. Mary <Hospital>', ownerSlackId: null },
  actions: recommendedActions('negative', true, 'Dr. Jane Doe'),
  advice: null,
  followUp: { dueAt: '2026-12-03T10:00:00.000Z', status: 'pending' },
  sphere: [{ handle: 'drbob', name: 'Dr. Bob', why: 'St. Mary <Hospital>' }],
  history: null,
  pv: null,
  medical: null,
  ...over,
  status: { ...OPEN, ...over.status },
});

const OPEN: AlertView['status'] = {
  state: 'open',
  assignee: null,
  doneBy: null,
  doneAt: null,
  doneReason: null,
  emailDraftedBy: null,
  emailDraftedAt: null,
  firstActionAt: null,
  reopenedBy: null,
  reopenedAt: null,
};

/** The card in each state of a rep's work, as the store would describe it. */
const STATES = {
  new: view(),
  assigned: view({ status: { ...OPEN, assignee: 'U0REP1', firstActionAt: '2026-11-26T11:00:00.000Z' } }),
  drafted: view({ status: { ...OPEN, assignee: 'U0REP1', firstActionAt: '2026-11-26T11:00:00.000Z', emailDraftedBy: 'U0REP1', emailDraftedAt: '2026-11-26T11:05:00.000Z' } }),
  snoozed: view({
    status: { ...OPEN, assignee: 'U0REP1', firstActionAt: '2026-11-26T11:00:00.000Z' },
    followUp: { dueAt: '2026-12-09T14:00:00.000Z', status: 'snoozed' },
  }),
  done: view({
    status: { ...OPEN, state: 'done', assignee: 'U0REP1', firstActionAt: '2026-11-26T11:00:00.000Z', emailDraftedBy: 'U0REP1', emailDraftedAt: '2026-11-26T11:05:00.000Z', doneBy: 'U0REP1', doneAt: '2026-11-27T10:00:00.000Z', doneReason: 'contacted' },
    followUp: { dueAt: '2026-12-03T10:00:00.000Z', status: 'cancelled' },
  }),
  reopened: view({
    status: { ...OPEN, assignee: 'U0REP1', firstActionAt: '2026-11-26T11:00:00.000Z', emailDraftedBy: 'U0REP1', emailDraftedAt: '2026-11-26T11:05:00.000Z', reopenedBy: 'U0REP2', reopenedAt: '2026-11-28T09:00:00.000Z' },
  }),
} satisfies Record<string, AlertView>;


test('escaping covers exactly &, < and >, & first', () => {
  expect(escapeMrkdwn('a & <b> &amp;')).toBe('a &amp; &lt;b&gt; &amp;amp;');
  expect(mrkdwnLink('javascript:alert(1)', 'x')).toBe('x');
  expect(mrkdwnLink('https://x.com/a|b>c', 'see <here>')).toBe('<https://x.com/a%7Cb%3Ec|see &lt;here&gt;>');
});


/** Checks every Block Kit limit the card must keep (shared/reference/slack-platform.md §4). */
function expectWithinLimits(card: { text: string; blocks: unknown[] }) {
  expect(card.blocks.length).toBeLessThanOrEqual(50);
  expect(card.text.length).toBeLessThanOrEqual(3900);
  for (const b of card.blocks as any[]) {
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(25);
    for (const e of b.elements ?? []) {
      if (e.type === 'mrkdwn') expect(e.text.length).toBeLessThanOrEqual(3000);
      if (e.type === 'button') {
        expect(e.text.text.length).toBeLessThanOrEqual(75);
        expect(e.value.length).toBeLessThanOrEqual(2000);
      }
      if (e.type === 'overflow') {
        expect(e.options.length).toBeGreaterThanOrEqual(2);
        expect(e.options.length).toBeLessThanOrEqual(5);
      }
      for (const o of e.options ?? []) {
        expect(o.text.text.length).toBeLessThanOrEqual(75);
        expect(o.value.length).toBeLessThanOrEqual(75);
      }
    }
  }
}

/** The card's controls as a person reads them: [primary], buttons, menus, and the ⋯ options. */
function controlsOf(blocks: unknown[]): string[] {
  return visibleControls(blocks).map((e: any) =>
    e.type === 'button'
      ? `${e.style === 'primary' ? '*' : ''}${e.text.text}`
      : e.type === 'overflow'
        ? `⋯ ${e.options.map((o: any) => o.text.text).join(' | ')}`
        : `${e.placeholder.text} ▾ ${e.options.map((o: any) => o.text.text).join(' | ')}`,
  );
}

const statusOf = (blocks: any[]) => blocks[0].elements[0].text as string;

test.each(Object.entries(STATES))('the %s card stays within Block Kit limits and shows at most four controls', (stage, v) => {
  expect(cardStage(v)).toBe(stage);
  const card = buildAlertCard(v);
  expectWithinLimits(card);
  expect(visibleControls(card.blocks).length).toBeLessThanOrEqual(4);
  // Status first: a rep reads where the work stands before anything else.
  expect(card.blocks[0]).toMatchObject({ type: 'context' });
  // The public-reply warning, exactly once (and none on a done card, which asks nothing more).
  const warnings = cardText(card.blocks).match(/never (reply in public|on social media)/gi) ?? [];
  expect(warnings.length).toBe(stage === 'done' ? 0 : 1);
  // Copy names the HCP; it never guesses a pronoun.
  expect(cardText(card.blocks)).not.toMatch(/\b(she|her|hers|he|him|his)\b/i);
});

test('new: the whole playbook, Draft email first, rare controls in the ⋯ menu', () => {
  const card = buildAlertCard(STATES.new);
  expect(statusOf(card.blocks as any[])).toBe(':new: Open · unassigned · follow-up <!date^1796292000^{date_short_pretty}|2026-12-03 10:00 UTC>');
  expect(controlsOf(card.blocks)).toEqual(['*Draft email', 'Snooze ▾ 1 day | 1 week | 1 month | 3 months | Pick a date and time…', 'Change sentiment ▾ Positive | Neutral | Negative', '⋯ Mark done | Assign to me | Report to PV | Add note']);
  const text = cardText(card.blocks);
  expect(text).toContain('*Recommended private actions* for Dr. Jane Doe');
  expect(text).toContain('• Reach out privately and ask whether Dr. Jane Doe is open to a conversation');
  expect(text).toContain('sphere of influence of Dr. Jane Doe');
  expect(text).toContain(':busts_in_silhouette: Sphere of influence: reach them privately, never by a public reply.');
  expect(text).toContain('Dr. Bob (@drbob, St. Mary &lt;Hospital&gt;)');
  expect(text).toContain('*Negative* mention by *Dr. Jane Doe* (@drjane) · *Target HCP*');
  expect(text).toContain('Why *Negative*: “discontinued due to”');
  expect(findControl(card.blocks, 'Draft email')?.value).toBe('7');
  expect(findControl(card.blocks, 'Assign to me')?.value).toBe('assign:7');
  expect(card.text).toBe('Negative mention by Dr. Jane Doe (@drjane): Zentiva discontinued due to nausea in two patients.');
});

test('assigned: status says who, the playbook shrinks to one line, Reassign replaces Assign to me', () => {
  const card = buildAlertCard(STATES.assigned);
  expect(statusOf(card.blocks as any[])).toMatch(/^:bust_in_silhouette: Assigned to <@U0REP1> · follow-up <!date\^/);
  expect(controlsOf(card.blocks)).toEqual(['*Draft email', 'Snooze ▾ 1 day | 1 week | 1 month | 3 months | Pick a date and time…', 'Change sentiment ▾ Positive | Neutral | Negative', '⋯ Mark done | Reassign… | Report to PV | Add note']);
  const text = cardText(card.blocks);
  expect(text).not.toContain('Recommended private actions');
  expect(text).toContain(':clipboard: *Playbook:* Reach out to Dr. Jane Doe privately, listen, then reach the sphere of influence. Never reply in public.');
});

test('drafted: Mark done becomes the next step; Draft email moves to the menu', () => {
  const card = buildAlertCard(STATES.drafted);
  expect(statusOf(card.blocks as any[])).toMatch(/^:email: Email drafted by <@U0REP1> · assigned to <@U0REP1> · follow-up/);
  expect(controlsOf(card.blocks)).toEqual(['*Mark done', 'Snooze ▾ 1 day | 1 week | 1 month | 3 months | Pick a date and time…', 'Change sentiment ▾ Positive | Neutral | Negative', '⋯ Draft email | Reassign… | Report to PV | Add note']);
});

test('snoozed: status says until when', () => {
  const card = buildAlertCard(STATES.snoozed);
  expect(statusOf(card.blocks as any[])).toBe(':zzz: Snoozed until <!date^1796824800^{date_short_pretty} at {time}|2026-12-09 14:00 UTC> · assigned to <@U0REP1>');
  expect(controlsOf(card.blocks)[0]).toBe('*Draft email');
});

test('done: one status line with who and why, no playbook, only Reopen and Add note', () => {
  const card = buildAlertCard(STATES.done);
  expect(statusOf(card.blocks as any[])).toBe(
    ':white_check_mark: Done by <@U0REP1>: contacted · <!date^1795773600^{date_short_pretty} at {time}|2026-11-27 10:00 UTC> · Email drafted by <@U0REP1>',
  );
  expect(controlsOf(card.blocks)).toEqual(['*Reopen', 'Add note']);
  const text = cardText(card.blocks);
  expect(text).not.toContain('Playbook');
  expect(text).not.toContain('Sphere of influence');
  expect(findControl(card.blocks, 'Snooze')).toBeUndefined();
  expect(findControl(card.blocks, 'Mark done')).toBeUndefined();
});

test('reopened: status says who reopened it, and the work starts again from Draft email', () => {
  const card = buildAlertCard(STATES.reopened);
  expect(statusOf(card.blocks as any[])).toMatch(/^:arrows_counterclockwise: Reopened by <@U0REP2> · assigned to <@U0REP1> · Email drafted by <@U0REP1>/);
  expect(controlsOf(card.blocks)).toEqual(['*Draft email', 'Snooze ▾ 1 day | 1 week | 1 month | 3 months | Pick a date and time…', 'Change sentiment ▾ Positive | Neutral | Negative', '⋯ Mark done | Reassign… | Report to PV | Add note']);
});

test('the structure of a new card: status, who, post, why, advice, warning, sphere, controls', () => {
  const card = buildAlertCard(STATES.new);
  expect(card.blocks.map((b: any) => b.type)).toEqual(['context', 'section', 'section', 'context', 'section', 'context', 'context', 'section', 'actions']);
  expect((card.blocks[8] as any).block_id).toBe('alert:7');
  expect((card.blocks[8] as any).elements[3]).toEqual({
    type: 'overflow',
    action_id: 'alert_more',
    options: [
      { text: { type: 'plain_text', text: 'Mark done' }, value: 'done:7' },
      { text: { type: 'plain_text', text: 'Assign to me' }, value: 'assign:7' },
      { text: { type: 'plain_text', text: 'Report to PV' }, value: 'alert_report_to_pv:7' },
      { text: { type: 'plain_text', text: 'Add note' }, value: 'note:7' },
    ],
  });
});

test('a card assigned to the roster owner names them, and still shows the whole playbook until someone acts', () => {
  const v = view({ hcp: { ...view().hcp!, ownerSlackId: 'U0OWNER' }, status: { assignee: 'U0OWNER' } });
  const card = buildAlertCard(v);
  expect(cardStage(v)).toBe('new');
  expect(statusOf(card.blocks as any[])).toMatch(/^:new: Open · assigned to <@U0OWNER> \(roster owner\) · follow-up/);
  expect(cardText(card.blocks)).toContain('Oncology · St. Mary &lt;Hospital&gt; · owner <@U0OWNER>');
  expect(cardText(card.blocks)).toContain('Recommended private actions');
  // Another rep can still take it over in one click.
  expect(controlsOf(card.blocks)[3]).toBe('⋯ Mark done | Assign to me | Reassign… | Report to PV | Add note');
});

test('an author missing from the roster is said to be, with Add to roster', () => {
  const card = buildAlertCard(view({ hcp: null, sphere: [] }));
  expect(cardText(card.blocks)).toContain('_not in the roster_');
  expect(findControl(card.blocks, 'Add to roster')?.value).toBe('roster:7');
});

test('the post\'s own advice leads the playbook, and stays as the one line once someone acted', () => {
  const advice = { team: 'Access & reimbursement team', text: 'Offer Dr. Jane Doe, privately, the help of the access team.' };
  const fresh = cardText(buildAlertCard(view({ advice })).blocks);
  expect(fresh).toContain('• *Access &amp; reimbursement team: Offer Dr. Jane Doe, privately, the help of the access team.*\n• Reach out privately');
  const later = cardText(buildAlertCard({ ...STATES.assigned, advice }).blocks);
  expect(later).toContain(':clipboard: *Playbook:* Access &amp; reimbursement team: Offer Dr. Jane Doe, privately, the help of the access team. Never reply in public.');
});

test('the HCP\'s earlier mentions: count by stance, the date of the last, its link', () => {
  const card = buildAlertCard(
    view({ history: { total: 3, byStance: { positive: 0, neutral: 1, negative: 2 }, last: { mentionId: 3, postedAt: '2026-11-03T09:00:00.000Z', sentiment: 'negative', link: 'https://x.com/drjane/status/3' } } }),
  );
  expect(cardText(card.blocks)).toContain(
    ':repeat: 3 earlier mentions in 12 months (1 neutral, 2 negative) · last <!date^1793696400^{date_short_pretty}|2026-11-03 09:00 UTC> · <https://x.com/drjane/status/3|View last post>',
  );
});

test('a possible adverse event says so once, gives the PV deadline, and the PV card has no controls', () => {
  const ae = { possible: true, cues: { harm: ['nausea'], product: ['zentiva'], patient: ['patients'], link: [] }, reportBy: '2026-11-30T20:00:00.000Z' };
  const card = buildAlertCard(view({ adverseEvent: ae }));
  const text = cardText(card.blocks);
  expect(text).toContain('*Possible adverse event*');
  expect(text).toContain('pharmacovigilance within one business day (by <!date^1796068800^{date_short_pretty} at {time}|2026-11-30 20:00 UTC>)');
  expect(card.text.startsWith('Possible adverse event.')).toBe(true);
  const pv = buildAlertCard(view({ adverseEvent: ae }), 'pv');
  expect(findControl(pv.blocks, 'Draft email')).toBeUndefined();
  expect(visibleControls(pv.blocks)).toEqual([]);
});

test('Block Kit limits hold for a maximal post, in every state', () => {
  for (const v of Object.values(STATES)) {
    const card = buildAlertCard({ ...v, text: '<&>'.repeat(3334), author: { handle: 'h', name: 'N'.repeat(200) } });
    expectWithinLimits(card);
    // Never an entity cut in half.
    expect(cardText(card.blocks)).not.toMatch(/&(?:a|am|l|g)?…/);
  }
});

test('each sphere name has its own Remind me (unique block ids, at most five names, escaped)', () => {
  const sphere = Array.from({ length: 7 }, (_, i) => ({ handle: `doc${i}`, name: i === 0 ? 'Dr. <b>*Zed*' : null, why: 'St. Mary' }));
  const card = buildAlertCard(view({ sphere }));
  const rows = (card.blocks as any[]).filter((b) => b.accessory?.action_id === 'alert_sphere_remind');
  expect(rows).toHaveLength(5);
  expect(new Set(card.blocks.map((b: any) => b.block_id).filter(Boolean)).size).toBe(card.blocks.filter((b: any) => b.block_id).length);
  expect(rows.map((r) => r.accessory.value)).toEqual(['7:doc0', '7:doc1', '7:doc2', '7:doc3', '7:doc4']);
  expect(rows.every((r) => r.accessory.text.text === 'Remind me')).toBe(true);
  expect(rows[0].text.text).toBe('Dr. &lt;b&gt;*Zed* (@doc0, St. Mary)');
  // Not offered on a card that is done or not negative.
  expect(buildAlertCard(view({ sphere, sentiment: { ...view().sentiment, label: 'positive' } } as any)).blocks.some((b: any) => b.accessory?.action_id === 'alert_sphere_remind')).toBe(false);
});
