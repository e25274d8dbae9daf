import { ALERT_CHANNEL, cardText, findControl, mention, outboxSettled, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, newTriggerId, sendCommand, sendEvent, sendInteraction, type PostedMessage } from '../support/slack-requests';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const db = () => h.pulse.ctx.db.kysely;
const DAY = 86_400_000;

/** Sends a mention and waits for its card. */
async function card(over: Record<string, unknown>): Promise<PostedMessage> {
  const id = `desk-${Math.random().toString(36).slice(2)}`;
  expect((await postMention(h.base, mention({ id, ...over }))).status).toBe(202);
  const mine = () => h.slack.messages.find((m) => m.channel === ALERT_CHANNEL && !m.thread_ts && (m.metadata as any)?.event_payload?.mention_id !== undefined && String(m.text).includes(String(over.text).slice(0, 25)));
  await h.slack.waitFor(() => Boolean(mine()), 5000, 'the card');
  // The card's link is read back from the store: let it record the post.
  await outboxSettled(h);
  const m = mine()!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
}

const command = (user: string, text: string) =>
  sendCommand(h.base, { token: 'x', team_id: 'T0TEST', channel_id: 'C0GENERAL', user_id: user, user_name: 'rep', command: '/hcp', text, response_url: h.slack.responseUrl, trigger_id: newTriggerId(), api_app_id: 'A0PULSE' });

async function openHome(user: string) {
  const before = h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length;
  await sendEvent(h.base, { type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0PULSE', event_id: `EvHome${Math.random()}`, event_time: 1, event: { type: 'app_home_opened', user, channel: 'D0X', tab: 'home', event_ts: '1.0' } });
  await h.slack.waitFor(() => h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).length > before, 5000, 'views.publish');
  return (h.slack.callsOf('views.publish').filter((c) => c.args.user_id === user).at(-1)!.args.view as any).blocks as any[];
}

test('the card sums up the HCP\'s earlier mentions, and /hcp who shows the profile and the timeline with links to the cards', async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
  await db()
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', specialty: 'Cardiology', institution: 'St. Mary', target: 1, owner_slack_id: 'U0OWNER', npi: '1234567890', updated_at: new Date().toISOString() })
    .execute();
  const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
  await card({ text: 'Zentiva old news from two years ago, nice.', postedAt: ago(800) });
  await card({ text: 'Prior auth denied again for Zentiva, exhausting.', postedAt: ago(60) });
  await card({ text: 'Zentiva coverage denied again, terrible week.', postedAt: ago(20) });
  const latest = await card({ text: 'Attending a Zentiva symposium in Boston on Friday.', postedAt: ago(1) });

  const history = cardText(latest.blocks);
  expect(history).toMatch(/:repeat: 2 earlier mentions in 12 months \(2 negative\) · last <!date\^\d+\^\{date_short_pretty\}\|.+> · <https:\/\/x\.com\/drjane\/status\/1790000000000000001\|View last post>/);

  const res = await command('U0REP1', 'who @DrJane');
  expect(res.status).toBe(200);
  const answer = JSON.parse(res.body);
  expect(answer.response_type).toBe('ephemeral');
  const text = cardText(answer.blocks);
  expect(text).toContain(':bust_in_silhouette: *Dr. Jane Doe* (@drjane)\n*Target HCP* · Cardiology · St. Mary · owner <@U0OWNER> · NPI 1234567890');
  expect(text).toContain('4 mentions, newest first');
  // Newest first, each with a link to its card and to the post.
  const items = answer.blocks.filter((b: any) => b.type === 'section').slice(1).map((b: any) => b.text.text as string);
  expect(items).toHaveLength(4);
  expect(items[0]).toContain('Attending a Zentiva symposium');
  expect(items[3]).toContain('two years ago');
  expect(items[0]).toContain(`<https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p${latest.ts.replace('.', '')}|Open card>`);

  // An unknown handle is said to be, and a malformed one gets the usage.
  expect(cardText(JSON.parse((await command('U0REP1', 'who nobody')).body).blocks)).toContain('_Not in the roster_');
  expect(JSON.parse((await command('U0REP1', 'who dr&x')).body).text).toContain('Usage: `/hcp who <handle>`');
});

test('App Home is the rep\'s desk, and managers also see the team', async () => {
  h = await startHarness({ PV_CHANNEL_ID: '', MANAGER_USER_IDS: 'U0BOSS', RESPONSE_SLA_HOURS: '0.0001' });
  const older = await card({ text: 'Zentiva coverage denied again, terrible week.', author: { handle: 'drone', name: 'Dr. One' } });
  const newer = await card({ text: 'Zentiva has been excellent for my patients, really impressed.', author: { handle: 'drtwo', name: 'Dr. Two' } });
  await card({ text: 'Attending a Zentiva symposium in Boston on Friday.', author: { handle: 'drthree', name: 'Dr. Three' } });
  for (const c of [older, newer]) {
    const n = h.slack.succeeded('chat.update').length;
    await sendInteraction(h.base, clickOn(c, 'Assign to me', 'U0REP1'));
    await h.slack.waitFor(() => h.slack.succeeded('chat.update').length > n, 5000, 'the card update');
  }
  // A follow-up of the rep's that is overdue.
  await db().updateTable('reminders').set({ due_at: new Date(Date.now() - 3 * DAY).toISOString(), status: 'delivered' }).where('kind', '=', 'follow_up').execute();

  const rep = await openHome('U0REP1');
  const text = cardText(rep);
  expect(text).toContain('*My open alerts* (2), newest first');
  const alerts = rep.filter((b) => b.type === 'section' && /^\*(Positive|Neutral|Negative)\*/.test(b.text.text)).map((b) => b.text.text as string);
  expect(alerts[0]).toContain('*Dr. Two*');
  expect(alerts[1]).toContain('*Dr. One*');
  expect(alerts[0]).toContain(`|Open card>`);
  // Each alert with the card's own controls.
  const controls = rep.filter((b) => b.type === 'actions' && /^alert:\d+$/.test(b.block_id));
  expect(controls).toHaveLength(2);
  expect(findControl(controls[0], 'Draft email')).toBeDefined();
  expect(findControl(controls[0], 'Snooze')).toBeDefined();
  expect(text).toMatch(/\*My follow-ups\* \(1\): 1 due, 1 overdue/);
  expect(text).toContain(':warning: Overdue since');
  expect(text).not.toContain('Team view');
  expect(rep.length).toBeLessThanOrEqual(100);

  // A control on App Home works like the one on the card.
  const n = h.slack.succeeded('chat.update').length;
  expect((await sendInteraction(h.base, { ...clickOn({ channel: 'D0X', ts: '1.0', blocks: controls }, 'Mark done', 'U0REP1'), container: { type: 'view', view_id: 'VHOME' } })).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the Mark done modal');
  expect(h.slack.succeeded('chat.update').length).toBe(n);

  const boss = cardText(await openHome('U0BOSS'));
  expect(boss).toContain('Team view');
  expect(boss).toContain('*Open alerts by rep:* <@U0REP1>: 2 · _nobody_: 1');
  expect(boss).toContain('*Overdue follow-ups:* <@U0REP1>: 1');
  expect(boss).toMatch(/\*Response-SLA breaches\* \(nobody acted in time\):\n• Dr\. Three, received <!date/);
  expect(boss).toMatch(/\*This week's mentions\* \(since <!date\^\d+\^\{date_short_pretty\}\|.+>\), by product and stance:\n• Zentiva: \d positive, \d neutral, \d negative/);
});

test('App Home follows the card: a medical question offers Refer to Medical Information (not Draft email) and then says it was referred; a possible adverse event shows PV\'s status', async () => {
  h = await startHarness({ MEDICAL_CHANNEL_ID: 'C0MEDINFO' });
  const question = await card({ text: 'Has anyone used Zentiva in children? What dose would you start with?', author: { handle: 'drq', name: 'Dr. Q' } });
  const ae = await card({ text: 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.', author: { handle: 'drae', name: 'Dr. Ae' } });
  for (const c of [question, ae]) {
    const n = h.slack.succeeded('chat.update').length;
    await sendInteraction(h.base, clickOn(c, 'Assign to me', 'U0REP1'));
    await h.slack.waitFor(() => h.slack.succeeded('chat.update').length > n, 5000, 'the card update');
  }
  const current = (c: PostedMessage) => h.slack.messages.find((m) => m.channel === c.channel && m.ts === c.ts)!.blocks as any[];
  const cardControls = (c: PostedMessage) => current(c).find((b) => b.type === 'actions' && /^alert:\d+$/.test(b.block_id));
  const homeControls = (home: any[], c: PostedMessage) => home.find((b) => b.type === 'actions' && b.block_id === cardControls(c).block_id);

  let home = await openHome('U0REP1');
  // The very controls the card has, whatever features add or replace.
  expect(homeControls(home, question)).toEqual(cardControls(question));
  expect(homeControls(home, ae)).toEqual(cardControls(ae));
  expect(findControl(homeControls(home, question), 'Refer to Medical Information')).toMatchObject({ style: 'primary' });
  expect(findControl(homeControls(home, question), 'Draft email')).toBeUndefined();
  let text = cardText(home);
  expect(text).toContain(':stethoscope: *Medical Information*:');
  expect(text).toMatch(/\*Dr\. Ae\* \(@drae\) · <!date[^>]+> · :warning: \*Possible adverse event\*/);
  expect(text).toContain(':rotating_light: Sent to PV');

  // Refer from App Home: the referral reaches Medical and both the card and the Home say so.
  const click = { ...clickOn({ channel: 'D0X', ts: '1.0', blocks: home }, 'Refer to Medical Information', 'U0REP1'), container: { type: 'view', view_id: 'VHOME' } };
  expect((await sendInteraction(h.base, click)).status).toBe(200);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === 'C0MEDINFO' && !m.thread_ts), 5000, 'the referral');
  await h.slack.waitFor(() => cardText(current(question)).includes('Referred to Medical Information by <@U0REP1>'), 5000, 'the card update');
  home = await openHome('U0REP1');
  text = cardText(home);
  expect(text).toContain('Referred to Medical Information by <@U0REP1> at <!date^');
  expect(homeControls(home, question)).toEqual(cardControls(question));
  expect(findControl(homeControls(home, question), 'Mark done')).toMatchObject({ style: 'primary' });
  expect(findControl(homeControls(home, question), 'Draft email')).toBeUndefined();
  expect(home.length).toBeLessThanOrEqual(100);
});
