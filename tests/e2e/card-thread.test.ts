import { ALERT_CHANNEL, cardText, findControl, mention, outboxSettled, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction, submitView, type PostedMessage } from '../support/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
});
afterEach(async () => {
  await h.close();
});

async function postedCard(): Promise<PostedMessage> {
  expect((await postMention(h.base, mention({ author: { handle: 'drnew', name: 'Dr. Nia Obi' } }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL && !m.thread_ts), 5000, 'the card');
  // Thread lines need the card's ts in the store, recorded a moment after Slack has the card.
  await outboxSettled(h);
  const m = h.slack.messages.find((x) => x.channel === ALERT_CHANNEL && !x.thread_ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
}

const current = (card: PostedMessage): PostedMessage => {
  const m = h.slack.messages.find((x) => x.channel === card.channel && x.ts === card.ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
};

/** The card's thread, oldest first. */
const thread = (card: PostedMessage) => h.slack.messages.filter((m) => m.thread_ts === card.ts).map((m) => m.text ?? '');

async function act(card: PostedMessage, control: string, lines: number, option?: string, user = 'U0REP1') {
  expect((await sendInteraction(h.base, clickOn(current(card), control, user, option))).status).toBe(200);
  await h.slack.waitFor(() => thread(card).length === lines, 5000, `thread line ${lines}`);
}

async function submitModal(values: Record<string, Record<string, unknown>>, viewId: string, user = 'U0REP1') {
  const view = h.slack.callsOf('views.open').at(-1)!.args.view as any;
  expect((await sendInteraction(h.base, submitView({ ...view, id: viewId }, values, user))).status).toBe(200);
}

test('every action and a note become one line each in the card\'s thread, in order, never twice', async () => {
  const card = await postedCard();
  await act(card, 'Assign to me', 1);
  await act(card, 'Snooze', 2, '1 week');
  await act(card, 'Change sentiment', 3, 'Negative');

  // Add note: from the ⋯ menu, a modal; the note is escaped and can ping nobody.
  expect(findControl(current(card).blocks, 'Add note')?.type).toBe('overflow_option');
  expect((await sendInteraction(h.base, clickOn(current(card), 'Add note'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the note modal');
  const note = { note: { value: { type: 'plain_text_input', value: 'Called the clinic <!channel>: back on Monday & will call again.' } } };
  await submitModal(note, 'V0NOTE1');
  await h.slack.waitFor(() => thread(card).length === 4, 5000, 'the note line');
  // Slack may deliver the same submission twice: still one line.
  await submitModal(note, 'V0NOTE1');

  expect((await sendInteraction(h.base, clickOn(current(card), 'Mark done'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 2, 3000, 'the Mark done modal');
  await submitModal({ reason: { value: { type: 'radio_buttons', selected_option: { value: 'contacted', text: { type: 'plain_text', text: 'Contacted' } } } } }, 'V0DONE1');
  await h.slack.waitFor(() => thread(card).length === 5, 5000, 'the done line');
  await act(card, 'Reopen', 6, undefined, 'U0REP2');

  const lines = thread(card);
  expect(lines[0]).toBe(':bust_in_silhouette: <@U0REP1> took this alert.');
  expect(lines[1]).toMatch(/^:zzz: <@U0REP1> snoozed it until <!date\^\d+\^\{date_short_pretty\} at \{time\}\|.+>\.$/);
  expect(lines[2]).toBe(':dart: <@U0REP1> changed the sentiment from Positive to Negative.');
  expect(lines[3]).toBe(':memo: <@U0REP1>: Called the clinic &lt;!channel&gt;: back on Monday &amp; will call again.');
  expect(lines[4]).toBe(':white_check_mark: <@U0REP1> marked it done: contacted.');
  expect(lines[5]).toBe(':arrows_counterclockwise: <@U0REP2> reopened it.');
  // Give a stray duplicate the time to show up, then check there is none.
  await new Promise((r) => setTimeout(r, 500));
  expect(thread(card)).toHaveLength(6);

  // The card stays short: the note is in the thread, not on the card; the audit trail has it.
  expect(cardText(current(card).blocks)).not.toContain('Called the clinic');
  const audit = await h.pulse.ctx.db.kysely.selectFrom('audit').select(['action', 'actor']).where('action', '=', 'mention.note_added').execute();
  expect(audit.length).toBeGreaterThanOrEqual(1);
  expect(audit[0]).toEqual({ action: 'mention.note_added', actor: 'U0REP1' });
});

test('an empty note is refused in the modal and nothing is posted', async () => {
  const card = await postedCard();
  expect((await sendInteraction(h.base, clickOn(current(card), 'Add note'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the note modal');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  const res = await sendInteraction(h.base, submitView(view, { note: { value: { type: 'plain_text_input', value: '   ' } } }));
  expect(res.status).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { note: 'Write the note, or cancel.' } });
  await new Promise((r) => setTimeout(r, 300));
  expect(thread(card)).toEqual([]);
});

test('Snooze to a date and time of the rep\'s choosing: a past time is refused in the form, a future one moves the follow-up', async () => {
  const card = await postedCard();
  expect((await sendInteraction(h.base, clickOn(current(card), 'Snooze', 'U0REP1', 'Pick a date and time…'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the snooze form');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(view.blocks[1].element.type).toBe('datetimepicker');
  const past = await sendInteraction(h.base, submitView(view, { until: { value: { type: 'datetimepicker', selected_date_time: Math.floor(Date.now() / 1000) - 60 } } }));
  expect(JSON.parse(past.body)).toEqual({ response_action: 'errors', errors: { until: 'Pick a time in the future.' } });

  const until = Math.floor(Date.parse('2027-01-15T14:30:00Z') / 1000);
  await submitModal({ until: { value: { type: 'datetimepicker', selected_date_time: until } } }, 'V0SNOOZE');
  await h.slack.waitFor(() => thread(card).length === 1, 5000, 'the snooze line');
  const reminder = await h.pulse.ctx.db.kysely.selectFrom('reminders').select(['due_at', 'status']).where('kind', '=', 'follow_up').executeTakeFirstOrThrow();
  expect(reminder).toEqual({ due_at: '2027-01-15T14:30:00.000Z', status: 'snoozed' });
  await h.slack.waitFor(() => cardText(current(card).blocks).startsWith(':zzz: Snoozed until'), 5000, 'the card update');
  expect(cardText(current(card).blocks)).toContain(`:zzz: Snoozed until <!date^${until}^`);
});

test('a click on a card Slack shows before its ts is recorded still gets its thread line, and the card catches up', async () => {
  // Hold Slack's answer to the card's chat.postMessage: the card is on screen, the bot does not know its ts yet.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let holding = true;
  h.slack.beforeAnswer = (method) => (method === 'chat.postMessage' && holding ? held : undefined);
  expect((await postMention(h.base, mention({ author: { handle: 'drnew', name: 'Dr. Nia Obi' } }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL && !m.thread_ts), 5000, 'the card');
  const m = h.slack.messages.find((x) => x.channel === ALERT_CHANNEL && !x.thread_ts)!;
  const card: PostedMessage = { channel: m.channel, ts: m.ts, blocks: m.blocks };

  expect((await sendInteraction(h.base, clickOn(card, 'Assign to me'))).status).toBe(200);
  const db = h.pulse.ctx.db.kysely;
  const deadline = Date.now() + 5000;
  while ((await db.selectFrom('mentions').select('assignee').executeTakeFirstOrThrow()).assignee !== 'U0REP1') {
    if (Date.now() > deadline) throw new Error('the click was not applied');
    await new Promise((r) => setTimeout(r, 20));
  }
  expect((await db.selectFrom('mentions').select('alert_ts').executeTakeFirstOrThrow()).alert_ts).toBeNull();
  expect(thread(card)).toEqual([]);

  holding = false;
  release();
  await h.slack.waitFor(() => thread(card).length === 1, 5000, 'the held thread line');
  expect(thread(card)[0]).toContain('<@U0REP1>');
  await h.slack.waitFor(() => cardText(current(card).blocks).includes('Assigned to <@U0REP1>'), 5000, 'the card brought up to date');
  await outboxSettled(h);
  expect(thread(card)).toHaveLength(1);
});
