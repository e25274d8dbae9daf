import type { Db } from '../../src/store/db';
import { findMention, openMentionsBy, recordCardPosted, recordMention, saveMentionChange, upsertHcp } from '../../src/store/mentions';
import {
  cancelOpenRemindersOf,
  completeFollowUp,
  countDueReminders,
  findReminder,
  latestFollowUpOf,
  openFollowUpsOf,
  recordReminderDelivered,
  replaceFollowUp,
  scheduleReminder,
  snoozeFollowUp,
  cancelDueReminder,
  claimDueReminder,
  deferDueReminder,
} from '../../src/store/reminders';
import type { NewMentionRow } from '../../src/store/schema';
import { DUE_REMINDER, IllegalTransition, OPEN_REMINDER, type ReminderStatus } from '../../src/store/types';
import { BOTH_STORES, storeFor } from '../support/store-db';

/**
 * The store's state machines, on a real SQLite file and on the real PostgreSQL server: every
 * transition that can be refused is refused when its starting state is gone, and changes
 * nothing then; concurrent attempts at the same transition succeed exactly once.
 */
test('the reminder state machine: open states are those a rep can complete, due states those the scheduler can queue', () => {
  expect([...OPEN_REMINDER].sort()).toEqual(['delivered', 'pending', 'queued', 'snoozed']);
  expect([...DUE_REMINDER].sort()).toEqual(['pending', 'snoozed']);
});

const T0 = new Date('2026-03-02T10:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let n = 0;
const mentionRow = (over: Partial<NewMentionRow> = {}): NewMentionRow => ({
  source: 'x',
  external_id: `post-${++n}`,
  url: null,
  author_handle: 'drjane',
  author_name: null,
  text: 'Zentiva works well for my patients.',
  text_from_reporter: 0,
  posted_at: T0.toISOString(),
  received_at: T0.toISOString(),
  product: 'Zentiva',
  via: 'webhook',
  reported_by: null,
  sentiment: 'positive',
  sentiment_score: 0.5,
  sentiment_cues: '[]',
  adverse_event: 0,
  adverse_event_cues: '{}',
  classification: null,
  status: 'open',
  version: 1,
  updated_at: T0.toISOString(),
  ...over,
});


describe.each(BOTH_STORES)('store state machines on %s', (_name, open) => {
  let db: Db;
  storeFor(open, 'file', (opened) => (db = opened));

  const newMention = async (over: Partial<NewMentionRow> = {}) => (await recordMention(db.kysely, mentionRow(over)))!.id;
  const newFollowUp = async (mentionId: number, status: 'pending' | 'snoozed' = 'pending') =>
    scheduleReminder(db.kysely, { mentionId, kind: 'follow_up', dueAt: later(60).toISOString(), instruction: 'Check in.', status }, T0);
  const statusOf = async (id: number) => (await findReminder(db.kysely, id))!.status;
  /** Forces a reminder into a state the way the scheduler and delivery would have moved it. */
  const forceStatus = (id: number, status: ReminderStatus) => db.kysely.updateTable('reminders').set({ status }).where('id', '=', id).execute();

  test('a post is recorded once per (source, id): the second attempt is told so and changes nothing', async () => {
    const row = mentionRow();
    const first = await recordMention(db.kysely, row);
    expect(first?.id).toBeGreaterThan(0);
    expect(await recordMention(db.kysely, { ...row, text: 'a changed text' })).toBeUndefined();
    expect((await findMention(db.kysely, first!.id))!.text).toBe(row.text);
  });

  test('a recorded mention holds exactly what was given: left-out columns take the table defaults, any other column is kept too', async () => {
    // mentionRow leaves out medical_question, tool_sentiment, tool_query and assignee.
    const plain = await findMention(db.kysely, await newMention());
    expect(plain).toMatchObject({ medical_question: 0, tool_sentiment: null, tool_query: null, assignee: null, author_name: null, url: null, classification: null });
    // Columns the webhook never sets go in as given as well.
    const withMore = await findMention(db.kysely, await newMention({ medical_question: 1, tool_query: 'X rule pv', first_action_at: T0.toISOString(), done_reason: 'handled elsewhere' }));
    expect(withMore).toMatchObject({ medical_question: 1, tool_query: 'X rule pv', first_action_at: T0.toISOString(), done_reason: 'handled elsewhere' });
  });

  test('a mention change is refused when someone changed it first (stale version), and applies on the fresh one', async () => {
    const id = await newMention();
    const read = (await findMention(db.kysely, id))!;
    const first = await saveMentionChange(db.kysely, read, { assignee: 'U0FIRST' }, later(1));
    expect(first).toMatchObject({ assignee: 'U0FIRST', version: 2, updated_at: later(1).toISOString() });
    // The second rep decided on version 1: refused, nothing written.
    expect(await saveMentionChange(db.kysely, read, { assignee: 'U0SECOND', status: 'done' }, later(2))).toBeUndefined();
    expect(await findMention(db.kysely, id)).toMatchObject({ assignee: 'U0FIRST', status: 'open', version: 2 });
    expect(await saveMentionChange(db.kysely, first!, { status: 'done', done_by: 'U0SECOND' }, later(3))).toMatchObject({ status: 'done', version: 3 });
  });

  test('a mention status move the state machine does not allow is an error and changes nothing (done → done, open → open)', async () => {
    const id = await newMention();
    const open = (await findMention(db.kysely, id))!;
    await expect(saveMentionChange(db.kysely, open, { status: 'open' }, later(1))).rejects.toThrow(IllegalTransition);
    const done = (await saveMentionChange(db.kysely, open, { status: 'done', done_by: 'U0FIRST' }, later(2)))!;
    await expect(saveMentionChange(db.kysely, done, { status: 'done', done_by: 'U0SECOND' }, later(3))).rejects.toThrow('cannot move from done to done');
    expect(await findMention(db.kysely, id)).toMatchObject({ status: 'done', done_by: 'U0FIRST', version: 2 });
    expect(await saveMentionChange(db.kysely, done, { status: 'open', done_by: null }, later(4))).toMatchObject({ status: 'open', version: 3 });
  });

  test('two reps changing the same version at once: exactly one change lands', async () => {
    const id = await newMention();
    const read = (await findMention(db.kysely, id))!;
    const results = await Promise.all(
      ['U0A', 'U0B', 'U0C', 'U0D'].map((who) => db.kysely.transaction().execute((trx) => saveMentionChange(trx, read, { assignee: who }, later(1)))),
    );
    const landed = results.filter((r) => r !== undefined);
    expect(landed).toHaveLength(1);
    expect((await findMention(db.kysely, id))!.assignee).toBe(landed[0]!.assignee);
    expect((await findMention(db.kysely, id))!.version).toBe(2);
  });

  test('completing a follow-up happens once: a second completion is refused and keeps the first completer', async () => {
    const r = await newFollowUp(await newMention());
    expect(await completeFollowUp(db.kysely, r, 'U0FIRST', later(1))).toBe(true);
    expect(await completeFollowUp(db.kysely, r, 'U0SECOND', later(2))).toBe(false);
    expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'done', completed_by: 'U0FIRST', completed_at: later(1).toISOString() });
  });

  test('concurrent completions of one follow-up: exactly one succeeds', async () => {
    const r = await newFollowUp(await newMention());
    const results = await Promise.all(['U0A', 'U0B', 'U0C'].map((who) => db.kysely.transaction().execute((trx) => completeFollowUp(trx, r, who, later(1)))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await statusOf(r)).toBe('done');
  });

  test('a completed or cancelled follow-up cannot be snoozed or completed again; a queued or delivered one can', async () => {
    const m = await newMention();
    for (const closed of ['done', 'cancelled'] as const) {
      const r = await newFollowUp(m);
      await forceStatus(r, closed);
      const before = await findReminder(db.kysely, r);
      expect(await snoozeFollowUp(db.kysely, r, later(999).toISOString(), later(1))).toBe(false);
      expect(await completeFollowUp(db.kysely, r, 'U0REP', later(1))).toBe(false);
      expect(await findReminder(db.kysely, r)).toEqual(before);
    }
    for (const open of ['queued', 'delivered'] as const) {
      const r = await newFollowUp(m);
      await forceStatus(r, open);
      expect(await snoozeFollowUp(db.kysely, r, later(999).toISOString(), later(1))).toBe(true);
      expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'snoozed', due_at: later(999).toISOString(), locked_until: null });
    }
  });

  test('handling a mention cancels its open reminders only, and says how many', async () => {
    const m = await newMention();
    const pending = await newFollowUp(m);
    const delivered = await newFollowUp(m);
    await forceStatus(delivered, 'delivered');
    const done = await newFollowUp(m);
    await completeFollowUp(db.kysely, done, 'U0REP', later(1));
    const sla = await scheduleReminder(db.kysely, { mentionId: m, kind: 'response_sla', dueAt: later(120).toISOString(), instruction: 'Escalate.' }, T0);
    expect(await cancelOpenRemindersOf(db.kysely, m, later(2))).toBe(3);
    expect([await statusOf(pending), await statusOf(delivered), await statusOf(sla), await statusOf(done)]).toEqual(['cancelled', 'cancelled', 'cancelled', 'done']);
    expect(await cancelOpenRemindersOf(db.kysely, m, later(3))).toBe(0);
  });

  test('replanning keeps a rep\'s snooze, else replaces the open follow-up with the new plan (or none)', async () => {
    const plan = { kind: 'follow_up' as const, dueAt: later(500).toISOString(), instruction: 'Ask again.' };
    const snoozedMention = await newMention();
    const snoozed = await newFollowUp(snoozedMention, 'snoozed');
    expect(await replaceFollowUp(db.kysely, snoozedMention, plan, later(1))).toEqual({ followUp: 'kept (snoozed)' });
    expect(await openFollowUpsOf(db.kysely, snoozedMention)).toEqual([{ id: snoozed, status: 'snoozed', due_at: later(60).toISOString() }]);

    const m = await newMention();
    const old = await newFollowUp(m);
    expect(await replaceFollowUp(db.kysely, m, plan, later(1))).toEqual({ followUp: plan.dueAt });
    expect(await statusOf(old)).toBe('cancelled');
    const open = await openFollowUpsOf(db.kysely, m);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ status: 'pending', due_at: plan.dueAt });
    expect(await latestFollowUpOf(db.kysely, m)).toEqual({ status: 'pending', due_at: plan.dueAt });

    expect(await replaceFollowUp(db.kysely, m, null, later(2))).toEqual({ followUp: null });
    expect(await openFollowUpsOf(db.kysely, m)).toEqual([]);
  });

  test('a scheduler claim is refused when the reminder moved since it was read (snoozed, claimed elsewhere)', async () => {
    const r = await newFollowUp(await newMention());
    const read = (await findReminder(db.kysely, r))!;
    // A rep snoozes between the scheduler's read and its claim.
    await snoozeFollowUp(db.kysely, r, later(999).toISOString(), later(1));
    expect(await claimDueReminder(db.kysely, read, later(2))).toBe(false);
    expect(await deferDueReminder(db.kysely, read, later(30), later(2))).toBe(false);
    expect(await cancelDueReminder(db.kysely, read, later(2))).toBe(false);
    expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'snoozed', due_at: later(999).toISOString(), attempts: 0 });
    const fresh = (await findReminder(db.kysely, r))!;
    expect(await claimDueReminder(db.kysely, fresh, later(3))).toBe(true);
    expect(await claimDueReminder(db.kysely, fresh, later(4))).toBe(false);
    expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'queued', attempts: 1 });
    // A cancelled reminder is never queued again: asking for it is a bug, said loudly.
    await forceStatus(r, 'cancelled');
    await expect(claimDueReminder(db.kysely, (await findReminder(db.kysely, r))!, later(5))).rejects.toThrow(IllegalTransition);
    expect(await statusOf(r)).toBe('cancelled');
  });

  test('two instances claiming the same due reminder at once: one claim wins', async () => {
    const r = await newFollowUp(await newMention());
    const read = (await findReminder(db.kysely, r))!;
    const results = await Promise.all([1, 2, 3].map(() => db.kysely.transaction().execute((trx) => claimDueReminder(trx, read, later(1)))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'queued', attempts: 1 });
  });

  test('a deferred reminder keeps its state and is due again later; a cancelled one is out of the due set', async () => {
    const m = await newMention();
    const r = await newFollowUp(m);
    expect(await deferDueReminder(db.kysely, (await findReminder(db.kysely, r))!, later(500), later(1))).toBe(true);
    expect(await findReminder(db.kysely, r)).toMatchObject({ status: 'pending', due_at: later(500).toISOString(), attempts: 0 });
    expect(await cancelDueReminder(db.kysely, (await findReminder(db.kysely, r))!, later(2))).toBe(true);
    expect(await statusOf(r)).toBe('cancelled');
  });

  test('delivery is recorded only for a queued reminder: a follow-up stays open, an escalation is done', async () => {
    const m = await newMention();
    const followUp = await newFollowUp(m);
    const sla = await scheduleReminder(db.kysely, { mentionId: m, kind: 'response_sla', dueAt: later(1).toISOString(), instruction: 'Escalate.' }, T0);
    // Not queued (a rep completed it meanwhile): the late delivery changes nothing.
    await completeFollowUp(db.kysely, followUp, 'U0REP', later(1));
    await recordReminderDelivered(db.kysely, followUp, 'D0REP', '1.000', later(2));
    expect(await findReminder(db.kysely, followUp)).toMatchObject({ status: 'done', delivered_ts: null });

    const queued = await newFollowUp(m);
    await forceStatus(queued, 'queued');
    await forceStatus(sla, 'queued');
    await recordReminderDelivered(db.kysely, queued, 'D0REP', '2.000', later(3));
    await recordReminderDelivered(db.kysely, sla, 'C0ALERTS', '3.000', later(3));
    expect(await findReminder(db.kysely, queued)).toMatchObject({ status: 'delivered', delivered_channel: 'D0REP', delivered_ts: '2.000' });
    expect(await findReminder(db.kysely, sla)).toMatchObject({ status: 'done', delivered_ts: '3.000' });
  });

  test('a posted card is recorded on its mention; a card for a mention that is gone answers null', async () => {
    const m = await newMention();
    expect(await recordCardPosted(db.kysely, m, 'alert', 'C0ALERTS', '9.000')).toBe(1);
    expect(await findMention(db.kysely, m)).toMatchObject({ alert_channel: 'C0ALERTS', alert_ts: '9.000', pv_ts: null });
    expect(await recordCardPosted(db.kysely, 999_999, 'alert', 'C0ALERTS', '9.001')).toBeNull();
  });

  test('the roster upsert says whether the HCP was a target before; open mentions are found by handle', async () => {
    const hcp = { handle: 'DrRoster', name: 'Dr. Roster', email: null, specialty: null, institution: null, npi: null, target: 1, owner_slack_id: null, channel_id: null, updated_at: T0.toISOString() };
    expect(await upsertHcp(db.kysely, hcp)).toEqual({ targetBefore: null });
    expect(await upsertHcp(db.kysely, { ...hcp, target: 0, name: 'Dr. R. Oster' })).toEqual({ targetBefore: 1 });
    const row = await db.kysely.selectFrom('hcps').selectAll().where('handle', '=', 'drroster').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Dr. R. Oster', target: 0 });
    const open = await newMention({ author_handle: 'drroster' });
    await newMention({ author_handle: 'drroster', status: 'done' });
    expect((await openMentionsBy(db.kysely, 'DrRoster')).map((m) => m.id)).toEqual([open]);
  });

  test('due reminders are counted for /metrics, with those more than an hour late', async () => {
    const base = await countDueReminders(db.kysely, later(100_000));
    const m = await newMention();
    await scheduleReminder(db.kysely, { mentionId: m, kind: 'follow_up', dueAt: later(100_000 - 120).toISOString(), instruction: 'x' }, T0);
    await scheduleReminder(db.kysely, { mentionId: m, kind: 'follow_up', dueAt: later(100_000 - 5).toISOString(), instruction: 'x' }, T0);
    await scheduleReminder(db.kysely, { mentionId: m, kind: 'follow_up', dueAt: later(100_001).toISOString(), instruction: 'x' }, T0);
    expect(await countDueReminders(db.kysely, later(100_000))).toEqual({ due: base.due + 2, overdue: base.overdue + 1 });
  });
});
