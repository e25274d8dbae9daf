import { cardControls } from '../../blocks/alert-card';
import { deskView, DESK_ALERTS_SHOWN, DESK_FOLLOWUPS_SHOWN, type Desk } from '../../blocks/home';
import { FOLLOWUPS_SHOWN, followUpList, reminderMessage } from '../../blocks/reminder';
import { snoozeModal } from '../../blocks/snooze-modal';
import type { AlertView } from '../../src/domain/alert-view';
import type { FollowUpView } from '../../src/domain/follow-up-view';
import { recommendedActions } from '../../src/domain/playbook';
import { pickedSnoozeTime } from '../../src/domain/rep-actions';
import { cardText, findControl } from '../support/harness';

/** The follow-up builders (reminder message, lists, App Home) and the snooze form, within Block Kit limits. */
const NOW = new Date('2026-12-04T10:00:00.000Z');
const HOSTILE = 'Zentiva <!channel> & <https://evil.example|click> '.repeat(200);

const followUp = (over: Partial<FollowUpView> = {}): FollowUpView => ({
  reminderId: 3,
  kind: 'follow_up',
  mentionId: 7,
  dueAt: '2026-12-03T10:00:00.000Z',
  status: 'delivered',
  instruction: 'Ask again whether Dr. Jane Doe is open to a conversation.',
  author: { handle: 'drjane', name: 'Dr. Jane Doe' },
  isTarget: true,
  text: 'Started a patient on Zentiva today.',
  url: 'https://x.com/drjane/status/1',
  sentiment: 'neutral',
  completedBy: null,
  completedAt: null,
  ...over,
});

const alert = (over: Partial<AlertView> = {}): AlertView => ({
  mentionId: 7,
  version: 1,
  source: 'x',
  externalId: '1',
  url: 'https://x.com/drjane/status/1',
  author: { handle: 'drjane', name: 'Dr. Jane Doe' },
  text: 'Has anyone used Zentiva in children? What dose would you start with?',
  textFromReporter: false,
  postedAt: '2026-11-26T10:00:00.000Z',
  product: 'Zentiva',
  via: 'webhook',
  reportedBy: null,
  sentiment: { label: 'neutral', score: 0, cues: [] },
  adverseEvent: { possible: false, cues: { harm: [], product: [], patient: [], link: [] }, reportBy: null },
  classification: null,
  hcp: null,
  actions: recommendedActions('neutral', false, 'Dr. Jane Doe'),
  advice: null,
  followUp: null,
  sphere: [],
  history: null,
  status: { state: 'open', assignee: 'U0REP1', doneBy: null, doneAt: null, doneReason: null, emailDraftedBy: null, emailDraftedAt: null, firstActionAt: '2026-11-26T11:00:00.000Z', reopenedBy: null, reopenedAt: null },
  pv: null,
  medical: { question: 'the dose for children', referral: null, channelConfigured: true },
  ...over,
});

/** Every Block Kit limit these builders must keep (shared/reference/slack-platform.md §4). */
function expectWithinLimits(blocks: any[], maxBlocks: number) {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const b of blocks) {
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(b.type === 'header' ? 150 : 3000);
    if (b.type === 'context') expect(b.elements.length).toBeLessThanOrEqual(10);
    if (b.type === 'actions') expect(b.elements.length).toBeLessThanOrEqual(25);
    for (const e of b.elements ?? []) {
      if (e.type === 'mrkdwn') expect(e.text.length).toBeLessThanOrEqual(3000);
      if (e.type === 'button') expect(e.text.text.length).toBeLessThanOrEqual(75);
      for (const o of e.options ?? []) {
        expect(o.text.text.length).toBeLessThanOrEqual(75);
        expect(o.value.length).toBeLessThanOrEqual(75);
      }
    }
  }
}

const SNOOZE_OPTIONS = ['1 day', '1 week', '1 month', '3 months', 'Pick a date and time…'];

test('a follow-up reminder offers Draft email, Complete and Snooze with the presets and Pick a date and time…', () => {
  const msg = reminderMessage(followUp());
  expectWithinLimits(msg.blocks, 50);
  expect(cardText(msg.blocks)).toContain(':bell: *Follow-up* with *Dr. Jane Doe* (@drjane) · *Target HCP*');
  expect(findControl(msg.blocks, 'Draft email')).toMatchObject({ style: 'primary' });
  expect(findControl(msg.blocks, 'Complete')).toBeDefined();
  const snooze = findControl(msg.blocks, 'Snooze')!;
  expect(snooze.options.map((o: any) => o.text.text)).toEqual(SNOOZE_OPTIONS);
  expect(snooze.options.at(-1).value).toBe('custom:3');
});

test('an outreach reminder is about a colleague: Complete leads, Snooze as on a follow-up, no Draft email', () => {
  const v = followUp({ kind: 'sphere_outreach', isTarget: false, dueAt: '2026-12-01T10:00:00.000Z', instruction: 'Reach out privately to Dr. Bob (@drbob), a colleague of Dr. Jane Doe.' });
  const msg = reminderMessage(v);
  expectWithinLimits(msg.blocks, 50);
  expect(msg.text).toBe('Outreach after the post by Dr. Jane Doe: Reach out privately to Dr. Bob (@drbob), a colleague of Dr. Jane Doe.');
  expect(cardText(msg.blocks)).toContain(':handshake: *Outreach* after the post by *Dr. Jane Doe* (@drjane)');
  expect(findControl(msg.blocks, 'Draft email')).toBeUndefined();
  expect(findControl(msg.blocks, 'Complete')).toMatchObject({ style: 'primary' });
  expect(findControl(msg.blocks, 'Snooze')!.options.map((o: any) => o.text.text)).toEqual(SNOOZE_OPTIONS);
  expect(cardText(followUpList([v], 1, NOW, FOLLOWUPS_SHOWN))).toContain(':handshake: *Outreach* after the post by *Dr. Jane Doe* (@drjane) · :warning: Overdue since');
});

test('a snoozed reminder says until when, to the minute; a completed one has no controls', () => {
  const snoozed = reminderMessage(followUp({ status: 'snoozed', dueAt: '2027-01-15T14:30:00.000Z' }));
  expect(cardText(snoozed.blocks)).toContain(`:zzz: Snoozed until <!date^${Date.parse('2027-01-15T14:30:00Z') / 1000}^{date_short_pretty} at {time}|`);
  expect(findControl(snoozed.blocks, 'Snooze')).toBeDefined();
  const done = reminderMessage(followUp({ status: 'done', completedBy: 'U0REP1', completedAt: NOW.toISOString() }));
  expect(done.blocks.some((b) => b.type === 'actions')).toBe(false);
});

test('hostile post text stays escaped and within limits, in a message and in a full list', () => {
  const v = followUp({ text: HOSTILE, instruction: HOSTILE, author: { handle: 'x', name: HOSTILE } });
  const msg = reminderMessage(v);
  expectWithinLimits(msg.blocks, 50);
  expect(msg.text.length).toBeLessThanOrEqual(3900);
  expect(cardText(msg.blocks)).not.toContain('<!channel>');
  const list = followUpList(Array.from({ length: 40 }, (_, i) => ({ ...v, reminderId: i + 1 })), 40, NOW, FOLLOWUPS_SHOWN);
  expectWithinLimits(list, 50);
  expect(cardText(list)).not.toContain('<!channel>');
});

test('the snooze form names what it snoozes: the alert from a card, one follow-up from a reminder', () => {
  const card = snoozeModal({ mentionId: 7 }, 'Dr. Jane Doe', 1_797_000_000);
  expect(JSON.parse(card.private_metadata!)).toEqual({ mentionId: 7 });
  expect((card.blocks[0] as any).text.text).toBe('Bring the mention by Dr. Jane Doe back on:');
  const reminder = snoozeModal({ mentionId: 7, reminderId: 3 }, HOSTILE, 1_797_000_000);
  expect(reminder.callback_id).toBe(card.callback_id);
  expect(JSON.parse(reminder.private_metadata!)).toEqual({ mentionId: 7, reminderId: 3 });
  expect((reminder.blocks[0] as any).text.text.length).toBeLessThanOrEqual(3000);
  expect((reminder.blocks[1] as any).element).toEqual({ type: 'datetimepicker', action_id: 'value', initial_date_time: 1_797_000_000 });
});

test('a picked snooze time must be a time, in the future, within the next year', () => {
  const s = NOW.getTime() / 1000;
  expect(pickedSnoozeTime(s + 3600, NOW)).toEqual({ until: new Date(NOW.getTime() + 3_600_000) });
  expect(pickedSnoozeTime(s, NOW)).toEqual({ error: 'Pick a time in the future.' });
  expect(pickedSnoozeTime(s - 60, NOW)).toEqual({ error: 'Pick a time in the future.' });
  expect(pickedSnoozeTime(s + 367 * 86_400, NOW)).toEqual({ error: 'Pick a time within the next year.' });
  for (const bad of [undefined, null, '1797000000', Number.NaN, Number.POSITIVE_INFINITY]) expect(pickedSnoozeTime(bad, NOW)).toEqual({ error: 'Pick a date and a time.' });
});

const desk = (alerts: AlertView[], followUps: FollowUpView[] = []): Desk => ({
  alerts: alerts.map((view) => ({ view, receivedAt: '2026-11-26T10:05:00.000Z', cardLink: { url: 'https://pulse.slack.com/archives/C0ALERTS/p1', inRollup: false } })),
  alertTotal: alerts.length,
  followUps,
  followUpTotal: followUps.length,
  team: null,
  now: NOW,
});

test('App Home offers a medical question the card\'s controls: Refer to Medical Information, never Draft email; once referred it says so', () => {
  const open = deskView(desk([alert()])).blocks as any[];
  const controls = open.find((b) => b.block_id === 'alert:7');
  expect(controls).toEqual(cardControls(alert()));
  expect(findControl(controls, 'Refer to Medical Information')).toMatchObject({ style: 'primary' });
  expect(findControl(controls, 'Draft email')).toBeUndefined();

  const referred = alert({ medical: { question: 'the dose for children', channelConfigured: true, referral: { referralId: 1, status: 'referred', question: 'q', referredBy: 'U0REP1', referredAt: '2026-11-26T12:00:00.000Z', postedAt: null, answeredBy: null, answeredAt: null } } });
  const after = deskView(desk([referred])).blocks as any[];
  expect(cardText(after)).toContain('Referred to Medical Information by <@U0REP1>');
  expect(findControl(after.find((b) => b.block_id === 'alert:7'), 'Mark done')).toMatchObject({ style: 'primary' });
  expect(findControl(after.find((b) => b.block_id === 'alert:7'), 'Draft email')).toBeUndefined();

  // A plain alert keeps Draft email; a possible adverse event is flagged and offers Report to PV.
  const plain = alert({ medical: null, adverseEvent: { possible: true, cues: { harm: ['rash'], product: [], patient: [], link: [] }, reportBy: null } });
  const home = deskView(desk([plain])).blocks as any[];
  expect(findControl(home, 'Draft email')).toMatchObject({ style: 'primary' });
  expect(findControl(home, 'Report to PV')).toBeDefined();
  expect(cardText(home)).toContain(':warning: *Possible adverse event*');
});

test('App Home links each alert to its card, or, when a burst folded it, to its line in the roll-up', () => {
  const d = desk([alert(), alert({ mentionId: 8 })]);
  d.alerts[1]!.cardLink = { url: 'https://pulse.slack.com/archives/C0ALERTS/p2', inRollup: true };
  const text = cardText(deskView(d).blocks as any[]);
  expect(text).toContain('<https://pulse.slack.com/archives/C0ALERTS/p1|Open card>');
  expect(text).toContain('<https://pulse.slack.com/archives/C0ALERTS/p2|In roll-up>');
});

test('a full App Home with hostile text stays within Block Kit limits', () => {
  const alerts = Array.from({ length: DESK_ALERTS_SHOWN }, (_, i) => alert({ mentionId: i + 1, text: HOSTILE, author: { handle: 'x', name: HOSTILE } }));
  const followUps = Array.from({ length: DESK_FOLLOWUPS_SHOWN }, (_, i) => followUp({ reminderId: i + 1, kind: i % 2 ? 'sphere_outreach' : 'follow_up', text: HOSTILE, instruction: HOSTILE }));
  const view = deskView({ ...desk(alerts, followUps), alertTotal: 30, followUpTotal: 40 });
  expectWithinLimits(view.blocks as any[], 100);
  expect(cardText(view.blocks)).not.toContain('<!channel>');
  expect(cardText(view.blocks)).toContain('…and 20 older.');
});
