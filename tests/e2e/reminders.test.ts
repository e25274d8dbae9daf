import { ALERT_CHANNEL, cardText, findControl, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, newTriggerId, sendCommand, sendEvent, sendInteraction, submitView } from '../support/slack-requests';
import { importRoster } from '../../src/services/import-roster';

const OWNER = 'U0OWNER';
const DAY = 86_400_000;
let h: Harness;

async function start(extra: Record<string, string> = {}) {
  h = await startHarness({ PV_CHANNEL_ID: '', REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always', ...extra });
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: OWNER, updated_at: new Date().toISOString() })
    .execute();
}
afterEach(async () => {
  await h.close();
});

const dms = (user = OWNER) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === user);
const neutralPost = (over: Record<string, unknown> = {}) =>
  mention({ id: `n-${Math.random()}`, text: 'Attending a Zentiva symposium in Boston on Friday.', postedAt: new Date(Date.now() - 100 * DAY).toISOString(), ...over });
const asMessage = (call: { args: Record<string, unknown> }) => {
  const m = h.slack.messages.find((x) => x.channel === call.args.channel && x.blocks === call.args.blocks)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
};
const current = (msg: { channel: string; ts: string }) => {
  const m = h.slack.messages.find((x) => x.channel === msg.channel && x.ts === msg.ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
};

test('a target HCP\'s neutral post from 100 days ago reminds the owner at once; Snooze and Complete work; nothing twice', async () => {
  await start();
  expect((await postMention(h.base, neutralPost())).status).toBe(202);
  await h.slack.waitFor(() => dms().length === 1, 6000, 'the reminder DM');
  const reminder = asMessage(dms()[0]!);
  const text = cardText(reminder.blocks);
  expect(text).toContain(':bell: *Follow-up* with *Dr. Jane Doe* (@drjane) · *Target HCP*');
  expect(text).toContain('Attending a Zentiva symposium in Boston on Friday.');
  expect(text).toContain('Ask again whether Dr. Jane Doe is open to a conversation');
  for (const c of ['Draft email', 'Complete', 'Snooze']) expect(findControl(reminder.blocks, c)).toBeDefined();

  // It is listed for its owner, in /hcp followups and on App Home.
  const listed = await sendCommand(h.base, { token: 'x', team_id: 'T0TEST', channel_id: 'C0GENERAL', user_id: OWNER, user_name: 'owner', command: '/hcp', text: 'followups', response_url: h.slack.responseUrl, trigger_id: newTriggerId(), api_app_id: 'A0PULSE' });
  const list = JSON.parse(listed.body);
  expect(list.response_type).toBe('ephemeral');
  expect(cardText(list.blocks)).toContain('*Your open follow-ups* (1)');
  expect(findControl(list.blocks, 'Complete')).toBeDefined();
  await sendEvent(h.base, { type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0PULSE', event_id: 'EvHOME1', event_time: 1, event: { type: 'app_home_opened', user: OWNER, channel: 'D0OWNER', tab: 'home', event_ts: '1.0' } });
  await h.slack.waitFor(() => h.slack.callsOf('views.publish').length >= 1, 3000, 'views.publish');
  const home = h.slack.callsOf('views.publish').at(-1)!.args;
  expect(home.user_id).toBe(OWNER);
  expect(cardText((home.view as any).blocks)).toContain('Dr. Jane Doe');

  // Snooze: the same message now says so, and the next ticks deliver nothing.
  const before = h.slack.succeeded('chat.update').length;
  await sendInteraction(h.base, clickOn(reminder, 'Snooze', OWNER, '1 month'));
  await h.slack.waitFor(() => h.slack.succeeded('chat.update').some((c, i) => i >= before && c.args.ts === reminder.ts), 5000, 'the reminder update');
  expect(cardText(current(reminder).blocks)).toContain(':zzz: Snoozed until <!date^');
  const row = await h.pulse.ctx.db.kysely.selectFrom('reminders').selectAll().where('kind', '=', 'follow_up').executeTakeFirstOrThrow();
  expect(row.status).toBe('snoozed');
  expect(Date.parse(row.due_at) - Date.now()).toBeGreaterThan(29 * DAY);
  await new Promise((r) => setTimeout(r, 2500));
  expect(dms()).toHaveLength(1);

  // Complete: closed, the message says who, the controls are gone.
  await sendInteraction(h.base, clickOn(current(reminder), 'Complete', OWNER));
  await h.slack.waitFor(() => cardText(current(reminder).blocks).includes('Completed by <@U0OWNER>'), 5000, 'Completed by');
  expect(findControl(current(reminder).blocks, 'Snooze')).toBeUndefined();
  expect((await h.pulse.ctx.db.kysely.selectFrom('reminders').select('status').where('kind', '=', 'follow_up').executeTakeFirstOrThrow()).status).toBe('done');
  const audit = await h.pulse.ctx.db.kysely.selectFrom('audit').select('action').where('action', 'like', 'reminder.%').execute();
  expect(audit.map((a) => a.action)).toEqual(['reminder.snoozed', 'reminder.completed']);
  // A colleague clicks Complete on a stale copy of the message (the controls still showing): refused, nothing changes.
  await sendInteraction(h.base, clickOn(reminder, 'Complete', 'U0OTHER'));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').some((c) => c.args.user === 'U0OTHER'), 5000, 'the refusal');
  expect(h.slack.callsOf('chat.postEphemeral').find((c) => c.args.user === 'U0OTHER')!.args.text).toBe('This follow-up was already completed by <@U0OWNER>.');
  expect(await h.pulse.ctx.db.kysely.selectFrom('audit').select('action').where('action', 'like', 'reminder.%').execute()).toHaveLength(2);
  expect((await h.pulse.ctx.db.kysely.selectFrom('reminders').select('completed_by').where('kind', '=', 'follow_up').executeTakeFirstOrThrow()).completed_by).toBe(OWNER);
  const again = JSON.parse((await sendCommand(h.base, { token: 'x', team_id: 'T0TEST', channel_id: 'C0GENERAL', user_id: OWNER, user_name: 'owner', command: '/hcp', text: 'followups', response_url: h.slack.responseUrl, trigger_id: newTriggerId(), api_app_id: 'A0PULSE' })).body);
  expect(cardText(again.blocks)).toContain('no open follow-ups');
});

test('a reminder offers Pick a date and time…: the card\'s form snoozes that follow-up and updates the message in place; past, far or unreadable input is refused in the form and changes nothing', async () => {
  await start();
  expect((await postMention(h.base, neutralPost())).status).toBe(202);
  await h.slack.waitFor(() => dms().length === 1, 6000, 'the reminder DM');
  const reminder = asMessage(dms()[0]!);
  expect(findControl(reminder.blocks, 'Snooze')!.options.map((o: any) => o.text.text)).toEqual(['1 day', '1 week', '1 month', '3 months', 'Pick a date and time…']);
  const row = () => h.pulse.ctx.db.kysely.selectFrom('reminders').select(['id', 'status', 'due_at']).where('kind', '=', 'follow_up').executeTakeFirstOrThrow();
  // The DM is on Slack a moment before the outbox records where (which Snooze updates).
  for (let i = 0; i < 100 && (await row()).status !== 'delivered'; i++) await new Promise((r) => setTimeout(r, 50));
  const delivered = await row();
  expect(delivered.status).toBe('delivered');

  expect((await sendInteraction(h.base, clickOn(reminder, 'Snooze', OWNER, 'Pick a date and time…'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the snooze form');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  // The card's own form (blocks/snooze-modal.ts), naming this follow-up.
  expect(view.callback_id).toBe('snooze_until');
  expect(view.blocks[1].element.type).toBe('datetimepicker');
  expect(JSON.parse(view.private_metadata)).toEqual({ mentionId: expect.any(Number), reminderId: delivered.id });
  expect(view.blocks[0].text.text).toBe('Remind me of this follow-up (post by Dr. Jane Doe) on:');

  const picked = (seconds: unknown) => ({ until: { value: { type: 'datetimepicker', selected_date_time: seconds } } });
  const now = Math.floor(Date.now() / 1000);
  const refused = async (values: Record<string, Record<string, unknown>>, error: string, v = view) => {
    const res = await sendInteraction(h.base, submitView(v, values, OWNER));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { until: error } });
  };
  await refused(picked(now - 60), 'Pick a time in the future.');
  await refused(picked(now + 400 * 86_400), 'Pick a time within the next year.');
  await refused(picked('tomorrow'), 'Pick a date and a time.');
  await refused({}, 'Pick a date and a time.');
  await refused(picked(now + 3600), 'This form could not be read. Close it and choose Pick a date and time… again.', { ...view, private_metadata: '{"mentionId":"x"}' });
  expect(await row()).toEqual(delivered);
  expect(h.slack.succeeded('chat.update').filter((c) => c.args.ts === reminder.ts)).toHaveLength(0);

  // A time in the future: the follow-up waits until then and the same message says so.
  const until = now + 10 * 86_400;
  const res = await sendInteraction(h.base, submitView(view, picked(until), OWNER));
  expect(res.body).toBe('');
  await h.slack.waitFor(() => cardText(current(reminder).blocks).includes(':zzz: Snoozed until'), 5000, 'the reminder update');
  expect(cardText(current(reminder).blocks)).toContain(`:zzz: Snoozed until <!date^${until}^{date_short_pretty} at {time}|`);
  expect(await row()).toEqual({ id: delivered.id, status: 'snoozed', due_at: new Date(until * 1000).toISOString() });
  expect(dms()).toHaveLength(1);
  const audit = await h.pulse.ctx.db.kysely.selectFrom('audit').select(['action', 'actor']).where('action', 'like', 'reminder.%').execute();
  expect(audit).toEqual([{ action: 'reminder.snoozed', actor: OWNER }]);

  // Completed meanwhile: a late submission of the form is refused (by DM) and changes nothing.
  await sendInteraction(h.base, clickOn(current(reminder), 'Complete', OWNER));
  await h.slack.waitFor(() => cardText(current(reminder).blocks).includes('Completed by <@U0OWNER>'), 5000, 'Completed by');
  const done = await row();
  await sendInteraction(h.base, submitView(view, picked(until + 86_400), OWNER));
  await h.slack.waitFor(() => dms().some((c) => c.args.text === 'This follow-up was already completed by <@U0OWNER>.'), 5000, 'the refusal');
  expect(await row()).toEqual(done);
});

test('the assignee is reminded rather than the owner', async () => {
  await start();
  await postMention(h.base, neutralPost({ postedAt: new Date(Date.now() - 89.9996 * DAY).toISOString() })); // due in ~35 s
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
  const m = await h.pulse.ctx.db.kysely.selectFrom('mentions').select('id').executeTakeFirstOrThrow();
  await sendInteraction(h.base, clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Assign to me', 'U0REP7'));
  await h.slack.waitFor(() => h.slack.succeeded('chat.update').length >= 1, 5000, 'assignment');
  await h.pulse.ctx.db.kysely.updateTable('reminders').set({ due_at: new Date().toISOString() }).where('mention_id', '=', m.id).where('kind', '=', 'follow_up').execute();
  await h.slack.waitFor(() => dms('U0REP7').length === 1, 6000, 'the assignee DM');
  expect(dms()).toHaveLength(0);
});

test('a reminder outside working hours waits for the recipient\'s morning', async () => {
  // A one-hour window that is not now in the recipient's zone.
  const berlinHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const startHour = (berlinHour + 3) % 23;
  await start({ WORK_HOURS: `${String(startHour).padStart(2, '0')}:00-${String(startHour + 1).padStart(2, '0')}:00` });
  await postMention(h.base, neutralPost());
  await h.slack.waitFor(() => h.slack.callsOf('users.info').length >= 1, 5000, 'the time-zone look-up');
  await new Promise((r) => setTimeout(r, 1500));
  expect(dms()).toHaveLength(0);
  const row = await h.pulse.ctx.db.kysely.selectFrom('reminders').selectAll().where('kind', '=', 'follow_up').executeTakeFirstOrThrow();
  expect(row.status).toBe('pending');
  expect(Date.parse(row.due_at)).toBeGreaterThan(Date.now() + 3_600_000);
  const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(row.due_at));
  expect(local).toBe(`${String(startHour).padStart(2, '0')}:00`);
});

test('an alert nobody acts on is escalated once in its thread; one that was assigned is not', async () => {
  await start({ RESPONSE_SLA_HOURS: '0.0005' }); // 1.8 s
  await postMention(h.base, mention({ id: 'sla-1', author: { handle: 'nobody1' } }));
  await postMention(h.base, mention({ id: 'sla-2', author: { handle: 'nobody2' } }));
  await h.slack.waitFor(() => h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL && !m.thread_ts).length === 2, 6000, 'two cards');
  const [first, second] = h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL && !m.thread_ts);
  await sendInteraction(h.base, clickOn({ channel: second!.channel, ts: second!.ts, blocks: second!.blocks }, 'Assign to me', 'U0REP1'));
  const escalations = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.thread_ts && String(c.args.text).includes('Nobody has acted'));
  await h.slack.waitFor(() => escalations().length === 1, 8000, 'the escalation');
  expect(escalations()[0]!.args.thread_ts).toBe(first!.ts);
  expect(String(escalations()[0]!.args.text)).toContain('Nobody has acted on this alert');
  await new Promise((r) => setTimeout(r, 2500));
  expect(escalations()).toHaveLength(1);
});

test('changing the roster\'s target flag recomputes the pending follow-up', async () => {
  await start();
  await postMention(h.base, mention({ id: 'tgt-1', author: { handle: 'drnew' }, text: 'Started a patient on Zentiva today.' }));
  const followUps = () => h.pulse.ctx.db.kysely.selectFrom('reminders').select(['status', 'due_at']).where('kind', '=', 'follow_up').execute();
  expect(await followUps()).toEqual([]);
  await importRoster(h.pulse.ctx.db.kysely, 'handle,target\ndrnew,yes\n', new Date(), { followUpDays: h.pulse.ctx.config.followUpDays });
  expect((await followUps()).map((r) => r.status)).toEqual(['pending']);
  await importRoster(h.pulse.ctx.db.kysely, 'handle,target\ndrnew,no\n', new Date(), { followUpDays: h.pulse.ctx.config.followUpDays });
  expect((await followUps()).map((r) => r.status)).toEqual(['cancelled']);
});
