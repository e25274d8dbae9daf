import { PLAYBOOK, recommendedActions } from '../../src/domain/playbook';
import { planFollowUp } from '../../src/domain/reminder-rules';
import { SENTIMENTS } from '../../src/domain/mention';

const days = { negative: 7, neutral: 90, positive: 14 };
const now = new Date('2026-11-27T12:00:00Z');

test('every sentiment has private actions and never a public reply', () => {
  for (const s of SENTIMENTS) {
    const all = [...recommendedActions(s, true), PLAYBOOK[s].followUp].join(' ');
    expect(all.length).toBeGreaterThan(20);
    expect(all).not.toMatch(/reply (publicly|in public on|on (x|twitter|social))/i);
  }
  expect(recommendedActions('negative', false).join(' ')).toMatch(/sphere of influence/);
  expect(recommendedActions('negative', false).join(' ')).toMatch(/Clinical or Medical colleagues/);
  expect(recommendedActions('neutral', false).join(' ')).toMatch(/Assume good intent/);
  expect(recommendedActions('positive', true).join(' ')).toMatch(/collaborations/);
  expect(recommendedActions('positive', false).join(' ')).not.toMatch(/collaborations/);
});

test.each([
  ['negative', false, '2026-12-03T10:00:00.000Z'],
  ['negative', true, '2026-12-03T10:00:00.000Z'],
  ['neutral', true, '2027-02-24T10:00:00.000Z'],
  ['positive', true, '2026-12-10T10:00:00.000Z'],
] as const)('%s (target %s) is followed up at %s', (sentiment, isTarget, due) => {
  expect(planFollowUp({ sentiment, postedAt: '2026-11-26T10:00:00Z', isTarget }, days, now)?.dueAt).toBe(due);
});

test.each([['neutral'], ['positive']] as const)('%s by a non-target gets no follow-up', (sentiment) => {
  expect(planFollowUp({ sentiment, postedAt: '2026-11-26T10:00:00Z', isTarget: false }, days, now)).toBeNull();
});

test('a due time already past is due at once', () => {
  const plan = planFollowUp({ sentiment: 'neutral', postedAt: '2026-08-01T10:00:00Z', isTarget: true }, days, now);
  expect(plan?.dueAt).toBe(now.toISOString());
});

import { planResponseSla, reminderRecipient, slaStillApplies } from '../../src/domain/reminder-rules';

test('a follow-up goes to the assignee, else the roster owner, else the alert thread', () => {
  const base = { reminderKind: 'follow_up', alertChannel: 'C1', alertTs: '1.2' };
  expect(reminderRecipient({ ...base, assignee: 'UA', ownerSlackId: 'UO' })).toEqual({ kind: 'dm', user: 'UA' });
  expect(reminderRecipient({ ...base, assignee: null, ownerSlackId: 'UO' })).toEqual({ kind: 'dm', user: 'UO' });
  expect(reminderRecipient({ ...base, assignee: null, ownerSlackId: null })).toEqual({ kind: 'thread', channel: 'C1', ts: '1.2' });
  expect(reminderRecipient({ reminderKind: 'follow_up', assignee: null, ownerSlackId: null, alertChannel: null, alertTs: null })).toEqual({ kind: 'none' });
  expect(reminderRecipient({ ...base, reminderKind: 'response_sla', assignee: null, ownerSlackId: 'UO' })).toEqual({ kind: 'thread', channel: 'C1', ts: '1.2' });
});

test('the response SLA falls due after the configured hours and applies only while nobody acted', () => {
  expect(planResponseSla(new Date('2026-11-27T10:00:00Z'), 0.5).dueAt).toBe('2026-11-27T10:30:00.000Z');
  expect(slaStillApplies({ status: 'open', first_action_at: null, email_drafted_by: null })).toBe(true);
  expect(slaStillApplies({ status: 'open', first_action_at: '2026-11-27T10:00:00Z', email_drafted_by: null })).toBe(false);
  expect(slaStillApplies({ status: 'open', first_action_at: null, email_drafted_by: 'U1' })).toBe(false);
  expect(slaStillApplies({ status: 'done', first_action_at: null, email_drafted_by: null })).toBe(false);
});
