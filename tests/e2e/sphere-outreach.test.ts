import { ALERT_CHANNEL, cardText, findControl, mention, outboxSettled, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, newTriggerId, sendCommand, sendEvent, sendInteraction } from '../support/slack-requests';

/**
 * Remind me beside a sphere-of-influence name, over HTTP with the Slack double: one private
 * outreach reminder per rep and name, delivered by the scheduler as a DM to the clicker.
 */
const OWNER = 'U0OWNER';
const REP = 'U0REP1';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '', REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always' });
  const at = new Date().toISOString();
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values([
      { handle: 'drjane', name: 'Dr. Jane Doe', institution: 'St. Mary', target: 1, owner_slack_id: OWNER, updated_at: at },
      { handle: 'drbob', name: 'Dr. Bob <Smith>', institution: 'St. Mary', target: 0, updated_at: at },
      { handle: 'drcarol', name: 'Dr. Carol', institution: 'St. Mary', target: 0, updated_at: at },
    ])
    .execute();
});
afterEach(async () => {
  await h.close();
});

const outreach = () => h.pulse.ctx.db.kysely.selectFrom('reminders').selectAll().where('kind', '=', 'sphere_outreach').execute();
const dmsTo = (user: string) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === user);

test('a negative post by a roster HCP offers Remind me per colleague; a click (twice) makes one reminder DMed to the clicker', async () => {
  const post = mention({ id: 'neg-sphere', text: 'Zentiva is terrible. I stopped it for two patients after the side effects.' });
  expect((await postMention(h.base, post)).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  // The thread line needs the card's ts in the store, recorded a moment after Slack has the card.
  await outboxSettled(h);
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
  const rows = (card.blocks as any[]).filter((b) => b.accessory?.action_id === 'alert_sphere_remind');
  expect(rows.map((r) => r.accessory.value.split(':')[1])).toEqual(['drbob', 'drcarol']);
  expect(new Set(rows.map((r) => r.block_id)).size).toBe(2);
  expect(rows[0].text.text).toBe('Dr. Bob &lt;Smith&gt; (@drbob, St. Mary)');

  // The first Remind me is Dr. Bob's.
  const click = clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Remind me', REP);
  expect((click.actions[0] as any).value).toMatch(/^\d+:drbob$/);
  expect((await sendInteraction(h.base, click)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').some((c) => c.args.user === REP), 5000, 'the confirmation');
  expect(h.slack.callsOf('chat.postEphemeral').find((c) => c.args.user === REP)!.args.text).toBe(
    'I will remind you to reach out privately to Dr. Bob &lt;Smith&gt; (@drbob) at your next working time, by DM.',
  );

  // The scheduler DMs the clicker (not the roster owner), with Complete and Snooze.
  await h.slack.waitFor(() => dmsTo(REP).length === 1, 6000, 'the outreach DM');
  const dm = h.slack.messages.find((m) => m.channel === REP && m.blocks === dmsTo(REP)[0]!.args.blocks)!;
  expect(cardText(dm.blocks)).toContain('Reach out privately to Dr. Bob &lt;Smith&gt; (@drbob)');
  for (const c of ['Complete', 'Snooze']) expect(findControl(dm.blocks, c)).toBeDefined();
  expect(dmsTo(OWNER).filter((c) => cardText(c.args.blocks).includes('@drbob'))).toHaveLength(0);

  // A second click on the same name: still one reminder, told so, nothing sent again.
  const before = h.slack.callsOf('chat.postEphemeral').length;
  await sendInteraction(h.base, clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Remind me', REP));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length > before, 5000, 'the second confirmation');
  expect(h.slack.callsOf('chat.postEphemeral').at(-1)!.args.text).toBe('You already have a reminder to reach out to Dr. Bob &lt;Smith&gt; (@drbob).');
  const rs = await outreach();
  expect(rs).toHaveLength(1);
  expect(rs[0]).toMatchObject({ recipient: REP, status: 'delivered' });
  await new Promise((r) => setTimeout(r, 1500));
  expect(dmsTo(REP)).toHaveLength(1);

  // One audit entry and one thread line on the card.
  expect(await h.pulse.ctx.db.kysely.selectFrom('audit').select('actor').where('action', '=', 'reminder.sphere_outreach').execute()).toEqual([{ actor: REP }]);
  const lines = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.thread_ts === card.ts && String(c.args.text).includes('set a reminder to reach out to'));
  // The line is paced behind the channel's other posts: wait for it, then count.
  await h.slack.waitFor(() => lines().length >= 1, 5000, 'the thread line');
  expect(lines()).toHaveLength(1);
  expect(lines()[0]!.args.text).toContain(`<@${REP}> set a reminder to reach out to Dr. Bob &lt;Smith&gt; (@drbob)`);

  // Complete on the DM closes it.
  await sendInteraction(h.base, clickOn({ channel: dm.channel, ts: dm.ts, blocks: dm.blocks }, 'Complete', REP));
  await h.slack.waitFor(() => cardText(h.slack.messages.find((m) => m.channel === dm.channel && m.ts === dm.ts)!.blocks).includes(`Completed by <@${REP}>`), 5000, 'Completed by');
  expect((await outreach())[0]!.status).toBe('done');
});

test('a forged Remind me for someone outside the sphere is refused and changes nothing', async () => {
  expect((await postMention(h.base, mention({ id: 'neg-forged', text: 'Zentiva is terrible. I stopped it for two patients after the side effects.' }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
  const click = clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Remind me', REP);
  const [mentionId] = String((click.actions[0] as any).value).split(':');
  (click.actions[0] as any).value = `${mentionId}:stranger`;
  await sendInteraction(h.base, click);
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').some((c) => c.args.user === REP), 5000, 'the refusal');
  expect(h.slack.callsOf('chat.postEphemeral').find((c) => c.args.user === REP)!.args.text).toContain('@stranger is no longer in this author');
  expect(await outreach()).toHaveLength(0);
});

const followups = async (user: string) =>
  JSON.parse(
    (await sendCommand(h.base, { token: 'x', team_id: 'T0TEST', channel_id: 'C0GENERAL', user_id: user, user_name: 'rep', command: '/hcp', text: 'followups', response_url: h.slack.responseUrl, trigger_id: newTriggerId(), api_app_id: 'A0PULSE' }))
      .body,
  );
async function openHome(user: string) {
  const before = h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length;
  await sendEvent(h.base, { type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0PULSE', event_id: `EvHome${Math.random()}`, event_time: 1, event: { type: 'app_home_opened', user, channel: 'D0X', tab: 'home', event_ts: '1.0' } });
  await h.slack.waitFor(() => h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length > before, 5000, 'views.publish');
  return (h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).at(-1)!.args.view as any).blocks as any[];
}

test('an outreach reminder is listed for the rep who set it, in /hcp followups and on App Home, and Snooze and Complete work from there', async () => {
  expect((await postMention(h.base, mention({ id: 'neg-list', text: 'Zentiva is terrible. I stopped it for two patients after the side effects.' }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
  await sendInteraction(h.base, clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Remind me', REP));
  await h.slack.waitFor(() => dmsTo(REP).length === 1, 6000, 'the outreach DM');
  const dm = h.slack.messages.find((m) => m.channel === REP && m.blocks === dmsTo(REP)[0]!.args.blocks)!;
  expect(cardText(dm.blocks)).toContain(':handshake: *Outreach* after the post by *Dr. Jane Doe* (@drjane)');
  // About a colleague, not the author: no Draft email (it would write to the author).
  expect(findControl(dm.blocks, 'Draft email')).toBeUndefined();

  const list = await followups(REP);
  const text = cardText(list.blocks);
  expect(text).toContain('*Your open follow-ups* (1)');
  expect(text).toContain(':handshake: *Outreach* after the post by *Dr. Jane Doe* (@drjane) · ');
  expect(text).toContain('_Reach out privately to Dr. Bob &lt;Smith&gt; (@drbob), a colleague of Dr. Jane Doe');
  expect(findControl(list.blocks, 'Complete')).toBeDefined();
  expect(findControl(list.blocks, 'Snooze')!.options.map((o: any) => o.text.text)).toEqual(['1 day', '1 week', '1 month', '3 months', 'Pick a date and time…']);
  expect(findControl(list.blocks, 'Draft email')).toBeUndefined();
  // The roster owner has the alert's own follow-up, not the rep's outreach.
  expect(cardText((await followups(OWNER)).blocks)).not.toContain('Outreach');

  const home = await openHome(REP);
  expect(cardText(home)).toMatch(/\*My follow-ups\* \(1\)/);
  expect(cardText(home)).toContain(':handshake: *Outreach* after the post by *Dr. Jane Doe*');

  // Snooze from the /hcp followups list: the list is redrawn, the DM says so.
  const fromList = {
    ...clickOn({ channel: 'C0GENERAL', ts: '1.0', blocks: list.blocks }, 'Snooze', REP, '1 week'),
    container: { type: 'message', message_ts: '1.0', channel_id: 'C0GENERAL', is_ephemeral: true },
    response_url: h.slack.responseUrl,
  };
  expect((await sendInteraction(h.base, fromList)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('response_url').some((c) => cardText(c.args.blocks).includes(':zzz: Snoozed until')), 5000, 'the list redrawn');
  expect((await outreach())[0]).toMatchObject({ status: 'snoozed' });
  await h.slack.waitFor(() => cardText(h.slack.messages.find((m) => m.channel === dm.channel && m.ts === dm.ts)!.blocks).includes(':zzz: Snoozed until'), 5000, 'the DM update');

  // Complete from App Home: done, and the Home no longer lists it.
  const fromHome = { ...clickOn({ channel: 'D0X', ts: '1.0', blocks: await openHome(REP) }, 'Complete', REP), container: { type: 'view', view_id: 'VHOME' } };
  const published = h.slack.callsOf('views.publish').length;
  expect((await sendInteraction(h.base, fromHome)).status).toBe(200);
  await h.slack.waitFor(
    () => h.slack.callsOf('views.publish').some((c, i) => i >= published && c.args.user_id === REP && cardText((c.args.view as any).blocks).includes('No open follow-ups.')),
    5000,
    'App Home republished without it',
  );
  expect((await outreach())[0]).toMatchObject({ status: 'done', completed_by: REP });
  expect(cardText((await followups(REP)).blocks)).toContain('You have no open follow-ups.');
});
