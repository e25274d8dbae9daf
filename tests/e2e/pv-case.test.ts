import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse } from '../../src/app';
import { ALERT_CHANNEL, PV_CHANNEL, cardText, findControl, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction, submitView, type PostedMessage } from '../support/slack-requests';

/**
 * The PV case message end to end: the real app over HTTP, the Slack double, a real SQLite file.
 * The bot's clock is pinned to a Wednesday noon in New York (advancing in real time), so a
 * deadline of a few seconds is on a business day whenever the suite runs.
 */
const WEDNESDAY_NOON_NY = Date.parse('2026-12-02T17:00:00Z');
const OWNER = 'U0OWNER';
const PV_USER = 'U0PVONE';
const AE_TEXT = 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.';

let h: Harness;
let shift = 0;
const now = () => new Date(Date.now() + shift);

async function start(extra: Record<string, string> = {}) {
  shift = WEDNESDAY_NOON_NY - Date.now();
  h = await startHarness({ REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always', ...extra }, { now });
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: OWNER, updated_at: now().toISOString() })
    .execute();
}
afterEach(async () => {
  await h.close();
});

const send = (over: Record<string, unknown> = {}) => postMention(h.base, mention(over), { timestamp: Math.floor(now().getTime() / 1000) });
const topLevel = (channel: string) => h.slack.messages.filter((m) => m.channel === channel && !m.thread_ts);
const asPosted = (m: { channel: string; ts: string; blocks?: unknown }): PostedMessage => ({ channel: m.channel, ts: m.ts, blocks: m.blocks });
const current = (msg: PostedMessage): PostedMessage => asPosted(h.slack.messages.find((x) => x.channel === msg.channel && x.ts === msg.ts)!);
const threadReplies = (msg: PostedMessage) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === msg.channel && c.args.thread_ts === msg.ts);
const dmsTo = (user: string) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === user);
const auditActions = async () => (await h.pulse.ctx.db.kysely.selectFrom('audit').select(['action', 'actor', 'after']).orderBy('id').execute());

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function aePost(): Promise<{ pv: PostedMessage; card: PostedMessage }> {
  expect((await send({ text: AE_TEXT })).status).toBe(202);
  await h.slack.waitFor(() => topLevel(PV_CHANNEL).length === 1 && topLevel(ALERT_CHANNEL).length === 1, 6000, 'the PV message and the card');
  return { pv: asPosted(topLevel(PV_CHANNEL)[0]!), card: asPosted(topLevel(ALERT_CHANNEL)[0]!) };
}

test('a possible adverse event gets its own PV case message: elements, receipt, deadline and three controls', async () => {
  await start();
  const { pv, card } = await aePost();
  const text = cardText(pv.blocks);
  expect(text).toContain('Possible adverse event · PV case 1');
  expect(text).toContain('*Dr. Jane Doe* (@drjane) posted:');
  expect(text).toContain('>My patient developed a severe rash two weeks after starting Zentiva.');
  expect(text).toContain('<https://x.com/drjane/status/1790000000000000001|View post>');
  expect(text).toContain('Product: *Zentiva*');
  // The four elements, each found with the words the classifier stored for it.
  const stored = JSON.parse((await h.pulse.ctx.db.kysely.selectFrom('mentions').select('classification').executeTakeFirstOrThrow()).classification!);
  const labels = { patient: 'Identifiable patient', reporter: 'Identifiable reporter', product: 'Suspect product', event: 'Adverse event' } as const;
  for (const [key, label] of Object.entries(labels)) {
    const e = stored.adverseEvent.elements[key];
    expect(e).not.toBeNull();
    expect(text).toContain(`:white_check_mark: *${label}*: “${e.words}” (${e.reason})`);
  }
  expect(stored.adverseEvent.elements.event.words).toMatch(/rash/i);
  expect(stored.adverseEvent.elements.product.words).toMatch(/zentiva/i);
  expect(text).toMatch(/Received <!date\^\d+\^[^|]+\|[^>]+> from the social-listening feed/);
  expect(text).toContain(`Rep: <@${OWNER}>`);
  // One business day from Wednesday about noon in New York: the same time on Thursday.
  const opened = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').select(['opened_at', 'deadline_at']).executeTakeFirstOrThrow();
  expect(opened.deadline_at.slice(0, 10)).toBe('2026-12-03');
  expect(Date.parse(opened.deadline_at) - Date.parse(opened.opened_at)).toBe(86_400_000);
  expect(text).toContain(`Acknowledge by <!date^${Math.floor(Date.parse(opened.deadline_at) / 1000)}^`);
  expect(text).toContain('(1 business day, America/New_York)');
  for (const control of ['Acknowledge', 'Not an adverse event', 'Reported']) expect(findControl(pv.blocks, control)).toBeDefined();
  expect(findControl(pv.blocks, 'Draft email')).toBeUndefined();

  // The rep's card says PV has it, by when, and offers no second Report to PV.
  await h.slack.waitFor(() => cardText(current(card).blocks).includes('Sent to PV'), 5000, 'the PV line on the card');
  expect(cardText(current(card).blocks)).toMatch(/Sent to PV · PV to acknowledge by <!date\^/);
  expect(findControl(current(card).blocks, 'Report to PV')).toBeUndefined();

  // The post is recorded right after Slack answers it.
  await until(async () => (await auditActions()).some((a) => a.action === 'pv.posted'), 'the pv.posted entry');
  const actions = (await auditActions()).map((a) => a.action);
  expect(actions).toEqual(['mention.logged', 'pv.case_opened', 'pv.posted']);
  const c = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').selectAll().executeTakeFirstOrThrow();
  expect(c).toMatchObject({ status: 'open', origin: 'detected', pv_channel: PV_CHANNEL, pv_ts: pv.ts });
});

test('Acknowledge updates the PV message and the rep\'s card, and no escalation follows', async () => {
  await start({ PV_DEADLINE_BUSINESS_DAYS: '0.00003' }); // 2.6 seconds
  const { pv, card } = await aePost();
  expect((await sendInteraction(h.base, clickOn(pv, 'Acknowledge', PV_USER))).status).toBe(200);
  await h.slack.waitFor(() => cardText(current(pv).blocks).includes(`PV acknowledged by <@${PV_USER}> at <!date^`), 5000, 'the PV message update');
  await h.slack.waitFor(() => cardText(current(card).blocks).includes(`PV acknowledged by <@${PV_USER}> at <!date^`), 5000, 'the card update');
  // The card's thread says it too, once.
  await h.slack.waitFor(() => threadReplies(card).length === 1, 5000, 'the thread line');
  expect(threadReplies(card)[0]!.args.text).toBe(`:rotating_light: <@${PV_USER}>: PV acknowledged the possible adverse event.`);
  expect(findControl(current(pv).blocks, 'Acknowledge')).toBeUndefined();
  expect(findControl(current(pv).blocks, 'Reported')).toBeDefined();
  expect(findControl(current(pv).blocks, 'Not an adverse event')).toBeDefined();

  // A second click is refused quietly, without a second audit entry.
  await sendInteraction(h.base, clickOn(pv, 'Acknowledge', 'U0PVTWO'));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the refusal');
  expect(h.slack.callsOf('chat.postEphemeral')[0]!.args.text).toBe('This case is already acknowledged.');

  // Well past the deadline: nothing in the PV thread, no DM.
  await new Promise((r) => setTimeout(r, 4500));
  expect(threadReplies(pv)).toHaveLength(0);
  expect(threadReplies(card)).toHaveLength(1);
  expect(dmsTo(OWNER)).toHaveLength(0);
  const audit = await auditActions();
  expect(audit.filter((a) => a.action === 'pv.acknowledged')).toHaveLength(1);
  expect(audit.find((a) => a.action === 'pv.acknowledged')!.actor).toBe(PV_USER);
  expect(audit.some((a) => a.action === 'pv.escalated')).toBe(false);
});

test('an unacknowledged case escalates exactly once, in the PV thread and to the rep, also across a restart', async () => {
  await start({ PV_DEADLINE_BUSINESS_DAYS: '0.00003' }); // 2.6 seconds
  const { pv, card } = await aePost();
  await h.slack.waitFor(() => threadReplies(pv).length === 1 && dmsTo(OWNER).length === 1, 8000, 'the escalation');
  expect(String(threadReplies(pv)[0]!.args.text)).toContain('was not acknowledged by its deadline');
  expect(String(threadReplies(pv)[0]!.args.text)).toContain(`<@${OWNER}>`);
  expect(String(dmsTo(OWNER)[0]!.args.text)).toContain('Pharmacovigilance has not acknowledged the possible adverse event posted by Dr. Jane Doe (@drjane)');
  await h.slack.waitFor(() => cardText(current(pv).blocks).includes('*Deadline missed*'), 5000, 'the PV message says so');
  await h.slack.waitFor(() => cardText(current(card).blocks).includes(':alarm_clock: Escalated'), 5000, 'the card says so');

  // More ticks, then a restart on the same database: still once.
  await new Promise((r) => setTimeout(r, 2000));
  await h.pulse.stop();
  const again = await startPulse(loadConfig(h.env), { logger: pino({ level: 'silent' }), now });
  let escalations: { actor: string; after: string | null }[] = [];
  try {
    await new Promise((r) => setTimeout(r, 2500));
    expect(threadReplies(pv)).toHaveLength(1);
    expect(dmsTo(OWNER)).toHaveLength(1);
    escalations = await again.ctx.db.kysely.selectFrom('audit').selectAll().where('action', '=', 'pv.escalated').execute();
  } finally {
    await again.stop();
  }
  expect(escalations).toHaveLength(1);
  expect(escalations[0]!.actor).toBe('hcp-pulse');
  expect(JSON.parse(escalations[0]!.after!)).toMatchObject({ toldRep: OWNER });
});

test('Not an adverse event asks why, refuses an empty reason, and records the reason on both messages', async () => {
  await start();
  const { pv, card } = await aePost();
  await sendInteraction(h.base, clickOn(pv, 'Not an adverse event', PV_USER));
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the modal');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(cardText(view.blocks)).toContain('Why is the post by Dr. Jane Doe not an adverse event?');

  const empty = await sendInteraction(h.base, submitView(view, { reason: { value: { type: 'plain_text_input', value: '   ' } } }, PV_USER));
  expect(JSON.parse(empty.body)).toEqual({ response_action: 'errors', errors: { reason: 'Say why the post is not an adverse event.' } });
  expect((await h.pulse.ctx.db.kysely.selectFrom('pv_cases').select('status').executeTakeFirstOrThrow()).status).toBe('open');

  const reason = 'Rash <predates> Zentiva & resolved: not related';
  await sendInteraction(h.base, submitView(view, { reason: { value: { type: 'plain_text_input', value: reason } } }, PV_USER));
  const line = `Not an adverse event, per <@${PV_USER}> at <!date^`;
  await h.slack.waitFor(() => cardText(current(pv).blocks).includes(line) && cardText(current(card).blocks).includes(line), 5000, 'both updates');
  expect(cardText(current(pv).blocks)).toContain('“Rash &lt;predates&gt; Zentiva &amp; resolved: not related”');
  expect(findControl(current(pv).blocks, 'Reported')).toBeUndefined();
  const c = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').selectAll().executeTakeFirstOrThrow();
  expect(c).toMatchObject({ status: 'not_ae', closed_by: PV_USER, not_ae_reason: reason, acknowledged_by: PV_USER });
  const entry = (await auditActions()).find((a) => a.action === 'pv.not_adverse_event')!;
  expect(entry.actor).toBe(PV_USER);
  expect(JSON.parse(entry.after!)).toMatchObject({ reason, status: 'not_ae' });
  // PV's judgement is a labelled example for the classifier, and the card no longer warns.
  const label = await h.pulse.ctx.db.kysely.selectFrom('label_corrections').selectAll().executeTakeFirstOrThrow();
  expect(label).toMatchObject({ field: 'adverse_event', predicted: 'true', corrected: 'false', corrected_by: PV_USER });
  expect(cardText(current(card).blocks)).not.toContain(':warning: *Possible adverse event*');
});

test('Reported asks for the safety database case id and records it', async () => {
  await start();
  const { pv, card } = await aePost();
  await sendInteraction(h.base, clickOn(pv, 'Acknowledge', PV_USER));
  await h.slack.waitFor(() => cardText(current(pv).blocks).includes('PV acknowledged'), 5000, 'acknowledged');
  await sendInteraction(h.base, clickOn(current(pv), 'Reported', 'U0PVTWO'));
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the modal');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(cardText(view.blocks)).toContain('Which case id did it get?');
  await sendInteraction(h.base, submitView(view, { safety_case_id: { value: { type: 'plain_text_input', value: 'US-ZEN-2026-000123' } } }, 'U0PVTWO'));
  await h.slack.waitFor(() => cardText(current(card).blocks).includes('Reported by <@U0PVTWO> at'), 5000, 'the card update');
  // The PV message is updated by its own queued chat.update, which may land after the card's.
  await h.slack.waitFor(() => cardText(current(pv).blocks).includes('safety case *US-ZEN-2026-000123*'), 5000, 'the PV message update');
  // The acknowledgement stays PV_USER's: the report does not overwrite who saw it first.
  expect(cardText(current(pv).blocks)).toContain(`PV acknowledged by <@${PV_USER}>`);
  expect(findControl(current(pv).blocks, 'Not an adverse event')).toBeUndefined();
  const entry = (await auditActions()).find((a) => a.action === 'pv.reported')!;
  expect(JSON.parse(entry.after!)).toMatchObject({ safetyCaseId: 'US-ZEN-2026-000123', status: 'reported' });
});

test('a rep\'s Report to PV opens a case for a post the detector missed', async () => {
  await start();
  expect((await send({ text: 'Honestly Zentiva has been a letdown for my clinic this year.' })).status).toBe(202);
  await h.slack.waitFor(() => topLevel(ALERT_CHANNEL).length === 1, 5000, 'the card');
  await new Promise((r) => setTimeout(r, 300));
  expect(topLevel(PV_CHANNEL)).toHaveLength(0);
  const card = asPosted(topLevel(ALERT_CHANNEL)[0]!);
  expect(findControl(card.blocks, 'Report to PV')).toBeDefined();
  await sendInteraction(h.base, clickOn(card, 'Report to PV', 'U0REP1'));
  await h.slack.waitFor(() => topLevel(PV_CHANNEL).length === 1, 5000, 'the PV message');
  const pv = asPosted(topLevel(PV_CHANNEL)[0]!);
  expect(cardText(pv.blocks)).toContain('<@U0REP1> reported this post to PV <!date^');
  expect(findControl(pv.blocks, 'Acknowledge')).toBeDefined();
  await h.slack.waitFor(() => cardText(current(card).blocks).includes('Reported to PV by <@U0REP1>'), 5000, 'the card update');
  expect(findControl(current(card).blocks, 'Report to PV')).toBeUndefined();
  const c = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').selectAll().executeTakeFirstOrThrow();
  expect(c).toMatchObject({ origin: 'rep', opened_by: 'U0REP1', status: 'open' });
  // The detector missed it: a labelled example, and the card now carries the PV instruction.
  const label = await h.pulse.ctx.db.kysely.selectFrom('label_corrections').selectAll().executeTakeFirstOrThrow();
  expect(label).toMatchObject({ field: 'adverse_event', predicted: 'false', corrected: 'true', corrected_by: 'U0REP1' });
  expect(cardText(current(card).blocks)).toContain(':warning: *Possible adverse event*');
});

test('without a PV channel, Report to PV tells the rep how to report instead', async () => {
  await start({ PV_CHANNEL_ID: '' });
  await send({ text: AE_TEXT });
  await h.slack.waitFor(() => topLevel(ALERT_CHANNEL).length === 1, 5000, 'the card');
  const card = asPosted(topLevel(ALERT_CHANNEL)[0]!);
  await sendInteraction(h.base, clickOn(card, 'Report to PV', 'U0REP1'));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the explanation');
  expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain('No pharmacovigilance channel is set up');
  expect(await h.pulse.ctx.db.kysely.selectFrom('pv_cases').selectAll().execute()).toHaveLength(0);
});
