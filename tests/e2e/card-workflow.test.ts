import { ALERT_CHANNEL, cardText, findControl, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction, submitView, type PostedMessage } from '../support/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', email: 'jane@example.org', target: 1, updated_at: new Date().toISOString() })
    .execute();
});
afterEach(async () => {
  await h.close();
});

/** Sends a mention and returns the card as Slack now holds it. */
async function postedCard(over: Record<string, unknown> = {}): Promise<PostedMessage> {
  expect((await postMention(h.base, mention(over))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  const m = h.slack.messages.find((x) => x.channel === ALERT_CHANNEL)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
}

/** The card after the bot's latest chat.update of it. */
function current(card: PostedMessage): PostedMessage {
  const m = h.slack.messages.find((x) => x.channel === card.channel && x.ts === card.ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
}

const updatesOf = (card: PostedMessage) => h.slack.succeeded('chat.update').filter((c) => c.args.channel === card.channel && c.args.ts === card.ts);

async function click(card: PostedMessage, control: string, user = 'U0REP1', option?: string) {
  const before = updatesOf(card).length;
  const res = await sendInteraction(h.base, clickOn(current(card), control, user, option));
  expect(res.status).toBe(200);
  return before;
}

const audit = () => h.pulse.ctx.db.kysely.selectFrom('audit').selectAll().where('action', '!=', 'mention.logged').orderBy('id').execute();

test('Assign to me updates the same message and is audited', async () => {
  const card = await postedCard();
  const before = await click(card, 'Assign to me');
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('Assigned to <@U0REP1>');
  const [entry] = await audit();
  expect(entry).toMatchObject({ actor: 'U0REP1', action: 'mention.assigned' });
  expect(JSON.parse(entry!.before!)).toEqual({ assignee: null });
  expect(JSON.parse(entry!.after!)).toEqual({ assignee: 'U0REP1' });
  // Assigned: Assign to me gives way to Reassign… in the ⋯ menu, which asks whom (the clicker preselected).
  expect(findControl(current(card).blocks, 'Assign to me')).toBeUndefined();
  await click(card, 'Reassign…', 'U0REP1');
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the Reassign modal');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(view.blocks[1].element).toMatchObject({ type: 'users_select', initial_user: 'U0REP1' });
  const again = updatesOf(card).length;
  await sendInteraction(h.base, submitView(view, { assignee: { value: { type: 'users_select', selected_user: 'U0REP2' } } }));
  await h.slack.waitFor(() => updatesOf(card).length > again, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('Assigned to <@U0REP2>');
});

test('Draft email opens the modal with the same trigger, and submitting DMs a mailto link', async () => {
  const card = await postedCard();
  const payload = clickOn(current(card), 'Draft email');
  expect((await sendInteraction(h.base, payload)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'views.open');
  const open = h.slack.callsOf('views.open')[0]!;
  expect(open.args.trigger_id).toBe(payload.trigger_id);
  const view = open.args.view as any;
  const modalText = cardText(view.blocks);
  expect(modalText).toContain('Approved template *HCP-PULSE-EM-003 v1*');
  expect(modalText).toContain('jane@example.org');
  expect(modalText).toContain('Thank you for your post on X about Zentiva');
  const greeting = view.blocks.find((b: any) => b.block_id === 'field:greeting_name');
  expect(greeting.element.initial_value).toBe('Dr. Jane Doe');

  const before = updatesOf(card).length;
  const submit = submitView({ ...view, id: 'V0DRAFT1' }, {
    'field:greeting_name': { value: { type: 'plain_text_input', value: 'Jane' } },
    'field:personal_note': { value: { type: 'plain_text_input', value: 'Great to see you at the congress last week.' } },
  });
  expect((await sendInteraction(h.base, submit)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.succeeded('chat.postMessage').some((c) => c.args.channel === 'U0REP1'), 5000, 'the DM');
  const dm = h.slack.succeeded('chat.postMessage').find((c) => c.args.channel === 'U0REP1')!;
  const button = findControl(dm.args.blocks, 'Open in email')!;
  expect(button.url).toMatch(/^mailto:jane%40example\.org\?subject=Thank%20you%20for%20your%20kind%20words%20about%20Zentiva&body=Dear%20Jane%2C/);
  expect(decodeURIComponent(button.url)).toContain('Great to see you at the congress last week.');
  expect(decodeURIComponent(button.url)).toContain('Kind regards,\nRep Example');
  expect(button.url.length).toBeLessThanOrEqual(3000);
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('Email drafted by <@U0REP1>');
});

test('a modal Slack refuses (the trigger expired) is explained to the clicker alone, and the card stays as it was', async () => {
  const card = await postedCard();
  h.slack.failNext('views.open', { error: 'expired_trigger_id' });
  const before = await click(card, 'Draft email');
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the ephemeral');
  const told = h.slack.callsOf('chat.postEphemeral')[0]!.args;
  expect(told).toMatchObject({ channel: card.channel, user: 'U0REP1' });
  expect(String(told.text)).toContain('Sorry, that did not work');
  expect(h.slack.callsOf('views.open')[0]!.args.trigger_id).toBeDefined();
  expect(updatesOf(card).length).toBe(before);
  // The next click opens it.
  await click(card, 'Draft email');
  await h.slack.waitFor(() => h.slack.succeeded('views.open').length === 1, 3000, 'the modal');
});

test('a negative post gets the negative template, and the mailto link stays within Slack\'s URL limit', async () => {
  const card = await postedCard({ text: 'Zentiva is terrible. '.repeat(5) });
  await sendInteraction(h.base, clickOn(current(card), 'Draft email'));
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'views.open');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(cardText(view.blocks)).toContain('Would you be open to a conversation');
  const submit = submitView(view, {
    'field:greeting_name': { value: { type: 'plain_text_input', value: 'Jane' } },
    'field:personal_note': { value: { type: 'plain_text_input', value: 'é'.repeat(300) } },
  });
  await sendInteraction(h.base, submit);
  await h.slack.waitFor(() => h.slack.succeeded('chat.postMessage').some((c) => c.args.channel === 'U0REP1'), 5000, 'the DM');
  const dm = h.slack.succeeded('chat.postMessage').find((c) => c.args.channel === 'U0REP1')!;
  const url = findControl(dm.args.blocks, 'Open in email')!.url as string;
  expect(url.length).toBeLessThanOrEqual(3000);
  expect(decodeURIComponent(url)).toContain('é'.repeat(300));
  expect(cardText(dm.args.blocks)).toContain('Approved template HCP-PULSE-EM-001 v1.');
});

test('Snooze moves the follow-up and the card says Snoozed until; Mark done closes it and offers Reopen', async () => {
  const card = await postedCard();
  const before = await click(card, 'Snooze', 'U0REP1', '1 week');
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('Snoozed until <!date^');
  const reminder = await h.pulse.ctx.db.kysely.selectFrom('reminders').selectAll().where('kind', '=', 'follow_up').executeTakeFirstOrThrow();
  expect(reminder.status).toBe('snoozed');
  expect(Date.parse(reminder.due_at) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

  await sendInteraction(h.base, clickOn(current(card), 'Mark done'));
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the Mark done modal');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  const n = updatesOf(card).length;
  await sendInteraction(h.base, submitView(view, { reason: { value: { type: 'radio_buttons', selected_option: { value: 'medical', text: { type: 'plain_text', text: 'Handled by Medical' } } } } }));
  await h.slack.waitFor(() => updatesOf(card).length > n, 5000, 'chat.update');
  const text = cardText(current(card).blocks);
  expect(text).toContain('Done by <@U0REP1>');
  expect(text).toContain('Done by <@U0REP1>: handled by Medical');
  expect(findControl(current(card).blocks, 'Snooze')).toBeUndefined();
  expect(findControl(current(card).blocks, 'Reopen')).toBeDefined();
  const statuses = await h.pulse.ctx.db.kysely.selectFrom('reminders').select('status').execute();
  expect(statuses.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);

  const m = updatesOf(card).length;
  await click(card, 'Reopen');
  await h.slack.waitFor(() => updatesOf(card).length > m, 5000, 'chat.update');
  expect(findControl(current(card).blocks, 'Mark done')).toBeDefined();
});

test('Change sentiment re-renders the card, recomputes the follow-up and keeps the correction', async () => {
  const card = await postedCard();
  expect(cardText(card.blocks)).toContain('*Positive*');
  const followUps = () => h.pulse.ctx.db.kysely.selectFrom('reminders').selectAll().where('kind', '=', 'follow_up').orderBy('id').execute();
  const [followBefore] = await followUps();
  const before = await click(card, 'Change sentiment', 'U0REP1', 'Negative');
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  const text = cardText(current(card).blocks);
  expect(text).toContain('*Negative*');
  expect(text).toContain('sphere of influence');
  const reminders = await followUps();
  expect(reminders.map((r) => r.status)).toEqual(['cancelled', 'pending']);
  expect(reminders[1]!.due_at).not.toBe(followBefore!.due_at);
  const corrections = await h.pulse.ctx.db.kysely.selectFrom('label_corrections').selectAll().execute();
  expect(corrections).toMatchObject([{ field: 'stance', predicted: 'positive', corrected: 'negative', corrected_by: 'U0REP1' }]);
});

test('Change sentiment to the stance shown confirms it once: a labelled example, a thread line, no new follow-up', async () => {
  const card = await postedCard();
  expect(cardText(card.blocks)).toContain('*Positive*');
  const before = await click(card, 'Change sentiment', 'U0REP1', 'Positive');
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('*Positive*');
  const corrections = await h.pulse.ctx.db.kysely.selectFrom('label_corrections').selectAll().execute();
  expect(corrections).toMatchObject([{ field: 'stance', predicted: 'positive', corrected: 'positive', corrected_by: 'U0REP1' }]);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.thread_ts === card.ts && /confirmed the sentiment: Positive/.test(m.text ?? '')), 5000, 'the thread line');
  const followUps = await h.pulse.ctx.db.kysely.selectFrom('reminders').select('status').where('kind', '=', 'follow_up').execute();
  expect(followUps.map((r) => r.status)).toEqual(['pending']);
  // Once a rep has confirmed it, picking it again explains and changes nothing.
  await click(card, 'Change sentiment', 'U0REP2', 'Positive');
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the ephemeral');
  expect(h.slack.callsOf('chat.postEphemeral')[0]!.args.text).toContain('already positive');
  expect(await h.pulse.ctx.db.kysely.selectFrom('label_corrections').selectAll().execute()).toHaveLength(1);
});

test('two reps assigning at once: one consistent card, both audited', async () => {
  const card = await postedCard();
  const before = updatesOf(card).length;
  await Promise.all([sendInteraction(h.base, clickOn(current(card), 'Assign to me', 'U0REPA')), sendInteraction(h.base, clickOn(current(card), 'Assign to me', 'U0REPB'))]);
  await h.slack.waitFor(() => updatesOf(card).length >= before + 2, 5000, 'two updates');
  const row = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['assignee', 'version']).executeTakeFirstOrThrow();
  expect(['U0REPA', 'U0REPB']).toContain(row.assignee);
  expect(row.version).toBe(3);
  expect(cardText(current(card).blocks)).toContain(`Assigned to <@${row.assignee}>`);
  expect((await audit()).map((a) => a.actor).sort()).toEqual(['U0REPA', 'U0REPB']);
});

test('a click on a removed mention, an unknown control or a malformed payload gets an explanation, not a crash', async () => {
  const card = await postedCard();
  const gone = clickOn(current(card), 'Assign to me');
  (gone.actions[0] as any).block_id = 'alert:9999';
  expect((await sendInteraction(h.base, gone)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the ephemeral');
  expect(h.slack.callsOf('chat.postEphemeral')[0]!.args.text).toContain('no longer exists');

  const unknown = clickOn(current(card), 'Assign to me');
  (unknown.actions[0] as any).action_id = 'alert_teleport';
  expect((await sendInteraction(h.base, unknown)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 2, 3000, 'the second ephemeral');
  expect(h.slack.callsOf('chat.postEphemeral')[1]!.args.text).toContain('no longer supported');

  const res = await sendInteraction(h.base, { type: 'block_actions', actions: 'nonsense' });
  expect(res.status).toBeLessThan(500);
  expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
});

test('Snooze on an alert without a follow-up creates one for then, and the card says so', async () => {
  const card = await postedCard({ author: { handle: 'notarget' }, text: 'Started a patient on Zentiva today.' });
  const before = await click(card, 'Snooze', 'U0REP1', '1 day');
  await h.slack.waitFor(() => updatesOf(card).length > before, 5000, 'chat.update');
  expect(cardText(current(card).blocks)).toContain('Snoozed until <!date^');
  const rows = await h.pulse.ctx.db.kysely.selectFrom('reminders').select(['kind', 'status']).orderBy('id').execute();
  expect(rows).toEqual([
    { kind: 'response_sla', status: 'pending' },
    { kind: 'follow_up', status: 'snoozed' },
  ]);
});
