import { ALERT_CHANNEL, cardText, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, newTriggerId, sendCommand, sendInteraction } from '../support/slack-requests';

/**
 * Bursts folded, nothing hidden (README, "Bursts"): the real bot over HTTP against the Slack
 * double enforcing Slack's per-channel limit. When a channel's queue would hold a card longer
 * than BURST_HOLD_SECONDS, its low-priority cards become one roll-up message, updated in
 * place, whose thread lists every post; priority posts keep their own cards, first.
 */

const AE_TEXT = 'My patient developed a severe rash ten days after starting Zentiva. Stopped it, resolving now.';
const MQ_TEXT = 'Does anyone know the right Zentiva dose for patients with renal impairment? Is it safe to combine with warfarin?';
const NEG_TEXT = 'Zentiva has been a real disappointment for my patients. Poor efficacy, I would not recommend it.';
const ROUTINE = [
  'Nice talk about Zentiva at the congress today <!channel> & friends.',
  'Great results with Zentiva in my clinic, patients are very happy.',
  'Zentiva pricing update announced at the congress this week.',
  NEG_TEXT, // negative, but its author is not a target: low priority
];

const routine = (wave: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    mention({
      id: `${wave}-${i}`,
      url: `https://x.com/dr${i}/status/${wave}-${i}`,
      author: { handle: `@dr_${wave}_${i}`, name: i === 0 ? 'Dr. <b>Evil</b> & Co' : `Dr. ${wave} ${i}` },
      text: ROUTINE[i % ROUTINE.length],
    }),
  );

type Msg = Harness['slack']['messages'][number];
const isRollup = (m: Msg) => (m.blocks as any[] | undefined)?.[0]?.block_id?.startsWith('rollup:') === true;
const itemIds = (m: Msg): number[] => ((m.blocks as any[]) ?? []).map((b) => /^rollup_item:(\d+)$/.exec(b.block_id ?? '')?.[1]).filter(Boolean).map(Number);

describe('a burst to one channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ PV_CHANNEL_ID: '', BURST_HOLD_SECONDS: '3' });
    h.slack.channelIntervalMs = 1000;
    await h.pulse.ctx.db.kysely.insertInto('hcps').values({ handle: 'drtarget', name: 'Dr. Target', target: 1, updated_at: new Date().toISOString() }).execute();
  });
  afterAll(() => h.close());

  const topLevel = () => h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL && !m.thread_ts);
  const rollups = () => topLevel().filter(isRollup);
  const cards = () => topLevel().filter((m) => !isRollup(m));
  const pages = () => h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL && rollups().some((r) => r.ts === m.thread_ts) && itemIds(m).length > 0);
  const listed = () => pages().flatMap(itemIds);
  const mentionIdOf = (externalId: string) =>
    h.pulse.ctx.db.kysely.selectFrom('mentions').select('id').where('external_id', '=', externalId).executeTakeFirstOrThrow().then((r) => r.id);

  test('priority posts get their own cards, first; the rest fold into one roll-up, updated in place, every post in its thread once', async () => {
    const wave1 = routine('w1', 16);
    const priority = [
      mention({ id: 'prio-ae', text: AE_TEXT, author: { handle: '@drae', name: 'Dr. AE' } }),
      mention({ id: 'prio-mq', text: MQ_TEXT, author: { handle: '@drmq', name: 'Dr. MQ' } }),
      mention({ id: 'prio-neg', text: NEG_TEXT, author: { handle: '@drtarget', name: 'Dr. Target' } }),
    ];
    expect((await postMention(h.base, { mentions: [...wave1.slice(0, 8), ...priority, ...wave1.slice(8)] })).status).toBe(202);

    await h.slack.waitFor(() => rollups().length === 1 && pages().length >= 1 && cards().length === 3, 20_000, 'the roll-up, its first page and the three cards');
    // The three priority cards went first, each on its own, by urgency; then the roll-up and
    // its first page.
    const order = h.slack.messages
      .filter((m) => m.channel === ALERT_CHANNEL && (!m.thread_ts || pages().includes(m)))
      .map((m) => (isRollup(m) ? 'rollup' : m.thread_ts ? 'page' : `card:${(m.metadata as any).event_payload.mention_id}`));
    const [ae, mq, neg] = await Promise.all(['prio-ae', 'prio-mq', 'prio-neg'].map(mentionIdOf));
    expect(order).toEqual([`card:${ae}`, `card:${mq}`, `card:${neg}`, 'rollup', 'page']);
    expect(String(cards()[0]!.text)).toMatch(/adverse event/i);

    // More posts while the roll-up is taking the burst: they join it, in place.
    const rollupTs = rollups()[0]!.ts;
    const wave2 = routine('w2', 6);
    expect((await postMention(h.base, { mentions: wave2 })).status).toBe(202);
    await h.slack.waitFor(() => listed().length === 22 && String(rollups()[0]!.text).startsWith('22 more posts'), 20_000, 'all 22 posts listed');

    expect(rollups()).toHaveLength(1);
    expect(h.slack.succeeded('chat.update').some((c) => c.args.ts === rollupTs)).toBe(true);
    const summary = cardText(rollups()[0]!.blocks);
    expect(summary).toMatch(/^:package: \*22 more posts about Zentiva since <!date\^\d+\^\{time\}\|[^>]+>: \d+ neutral, \d+ positive, \d+ negative\*/);
    // Every low-priority post is listed exactly once, none of them has a card, and no priority post is folded.
    const expected = await Promise.all([...wave1, ...wave2].map((m) => mentionIdOf(String(m.id))));
    expect([...listed()].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
    expect(cards()).toHaveLength(3);
    // Each line: author (escaped), first words (escaped), link, Open as card.
    const lines = pages().flatMap((p) => (p.blocks as any[]).filter((b) => b.block_id?.startsWith('rollup_item:')));
    const evil = lines.find((b) => b.text.text.includes('Evil'))!;
    expect(evil.text.text).toContain('*Dr. &lt;b&gt;Evil&lt;/b&gt; &amp; Co*');
    expect(evil.text.text).toContain('&lt;!channel&gt; &amp; friends');
    expect(evil.text.text).toMatch(/<https:\/\/x\.com\/dr0\/status\/w[12]-0\|post>/);
    expect(evil.accessory).toMatchObject({ type: 'button', action_id: 'rollup_open_card', text: { text: 'Open as card' } });
    for (const p of pages()) expect((p.blocks as any[]).length).toBeLessThanOrEqual(50);

    // Nothing is left waiting: every card entry was sent or folded.
    const states = await h.pulse.ctx.db.kysely.selectFrom('outbox').select(['status']).where('kind', '=', 'alert_card').execute();
    expect(states.filter((s) => s.status === 'folded')).toHaveLength(22);
    expect(states.filter((s) => s.status === 'sent')).toHaveLength(3);

    // Metrics count the folded posts; the /hcp lists still show a folded post.
    const metrics = await (await fetch(`${h.base}/metrics`)).text();
    expect(metrics).toMatch(/^hcp_pulse_posts_folded_total 22$/m);
    const who = await sendCommand(h.base, { token: 'x', team_id: 'T0TEST', channel_id: 'C0GENERAL', user_id: 'U0REP1', user_name: 'rep', command: '/hcp', text: 'who @dr_w2_3', response_url: h.slack.responseUrl, trigger_id: newTriggerId(), api_app_id: 'A0PULSE' });
    const whoText = cardText(JSON.parse(who.body).blocks);
    expect(whoText).toContain('1 mention');
    // It has no card: the timeline links to its line in the roll-up's thread.
    const folded = await mentionIdOf('w2-3');
    const page = pages().find((p) => itemIds(p).includes(folded))!;
    expect(whoText).toContain(`<https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p${page.ts.replace('.', '')}|In roll-up>`);
    expect(whoText).not.toContain('Open card');
  }, 60_000);

  test('Open as card posts the full card once (a double click is one card), links it from the thread line, and is audited', async () => {
    const page = pages()[0]!;
    const mentionId = itemIds(page)[0]!;
    const click = clickOn({ channel: page.channel, ts: page.ts, blocks: page.blocks }, 'Open as card', 'U0REP2');
    const [a, b] = await Promise.all([sendInteraction(h.base, click), sendInteraction(h.base, click)]);
    expect([a.status, b.status]).toEqual([200, 200]);

    const cardsOf = () => cards().filter((c) => (c.metadata as any)?.event_payload?.mention_id === mentionId);
    const lineOf = () => (pages()[0]!.blocks as any[]).find((x) => x.block_id === `rollup_item:${mentionId}`);
    await h.slack.waitFor(() => cardsOf().length === 1 && /Opened as card>/.test(lineOf().text.text), 15_000, 'the card, and its link in the thread');
    const card = cardsOf()[0]!;
    expect(lineOf().text.text).toContain(`<https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p${card.ts.replace('.', '')}|Opened as card> by <@U0REP2>`);
    expect(lineOf().accessory).toBeUndefined();
    // The second click was told, and changed nothing.
    await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').some((c) => /already opened/.test(String(c.args.text))), 5000, 'the explanation');
    const audit = await h.pulse.ctx.db.kysely.selectFrom('audit').select(['actor', 'mention_id']).where('action', '=', 'rollup.opened_as_card').execute();
    expect(audit).toEqual([{ actor: 'U0REP2', mention_id: mentionId }]);

    // A later click on the old message (its button still on screen) posts nothing more.
    expect((await sendInteraction(h.base, click)).status).toBe(200);
    await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').filter((c) => /already opened/.test(String(c.args.text))).length >= 2, 5000, 'the second explanation');
    expect(cardsOf()).toHaveLength(1);
    expect(h.slack.succeeded('chat.postMessage').filter((c) => (c.args.metadata as any)?.event_payload?.mention_id === mentionId)).toHaveLength(1);
  }, 30_000);
});

test('a burst larger than a page: 49 posts to a thread reply, after every adverse event\'s card', async () => {
  const h = await startHarness({ PV_CHANNEL_ID: '', BURST_HOLD_SECONDS: '3' });
  h.slack.channelIntervalMs = 1000;
  try {
    const posts = routine('big', 60);
    const aes = Array.from({ length: 4 }, (_, i) => mention({ id: `big-ae-${i}`, text: AE_TEXT, author: { handle: `@drae${i}`, name: `Dr. AE ${i}` } }));
    expect((await postMention(h.base, { mentions: [...posts.slice(0, 30), ...aes, ...posts.slice(30)] })).status).toBe(202);

    const inChannel = () => h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL);
    const rollup = () => inChannel().find((m) => !m.thread_ts && isRollup(m));
    const pageMsgs = () => inChannel().filter((m) => m.thread_ts !== undefined && m.thread_ts === rollup()?.ts && itemIds(m).length > 0);
    const aeCards = () => inChannel().filter((m) => !m.thread_ts && !isRollup(m));
    await h.slack.waitFor(() => aeCards().length === 4 && pageMsgs().length === 2, 30_000, 'four cards and two pages');

    const story = inChannel()
      .filter((m) => !m.thread_ts || pageMsgs().includes(m))
      .map((m) => (isRollup(m) ? 'rollup' : m.thread_ts ? 'page' : 'card'));
    expect(story).toEqual(['card', 'card', 'card', 'card', 'rollup', 'page', 'page']);
    // Pages as full as Block Kit allows: a heading and 49 lines is 50 blocks.
    expect(pageMsgs().map((p) => itemIds(p).length)).toEqual([49, 11]);
    for (const p of pageMsgs()) expect((p.blocks as any[]).length).toBeLessThanOrEqual(50);
    expect(cardText([(pageMsgs()[1]!.blocks as any[])[0]])).toBe('Posts 50–60 of this roll-up');
    // Every routine post listed once, no adverse event folded.
    const ids = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['id', 'external_id']).execute();
    const listed = pageMsgs().flatMap(itemIds).sort((a, b) => a - b);
    expect(listed).toEqual(ids.filter((m) => m.external_id.startsWith('big-') && !m.external_id.startsWith('big-ae')).map((m) => m.id).sort((a, b) => a - b));
    expect(aeCards().map((c) => (c.metadata as any).event_payload.mention_id).sort()).toEqual(ids.filter((m) => m.external_id.startsWith('big-ae')).map((m) => m.id).sort());
  } finally {
    await h.close();
  }
}, 60_000);

test('below the hold threshold nothing is folded: each post gets its own card', async () => {
  const h = await startHarness({ PV_CHANNEL_ID: '' }); // BURST_HOLD_SECONDS defaults to 10
  h.slack.channelIntervalMs = 1000;
  try {
    expect((await postMention(h.base, { mentions: routine('calm', 6) })).status).toBe(202);
    const top = () => h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL && !m.thread_ts);
    await h.slack.waitFor(() => top().length === 6, 20_000, 'six cards');
    expect(top().filter(isRollup)).toHaveLength(0);
    const db = h.pulse.ctx.db.kysely;
    expect(await db.selectFrom('rollups').selectAll().execute()).toEqual([]);
    // (The last card may still be recorded as it is answered: sent or about to be, never folded.)
    const states = (await db.selectFrom('outbox').select('status').where('kind', '=', 'alert_card').execute()).map((r) => r.status);
    expect(states).toHaveLength(6);
    expect(states.filter((s) => s !== 'sent' && s !== 'pending')).toEqual([]);
    expect(states.filter((s) => s === 'sent').length).toBeGreaterThanOrEqual(5);
  } finally {
    await h.close();
  }
}, 40_000);

test('a folded post keeps its follow-up, replied in the roll-up thread; its response-SLA escalation does not apply', async () => {
  const h = await startHarness({
    PV_CHANNEL_ID: '',
    BURST_HOLD_SECONDS: '3',
    REMINDER_CRON: '* * * * * *',
    WORK_HOURS: 'always',
    // Due a few seconds after the post (fractions of days and hours are allowed).
    FOLLOW_UP_NEGATIVE_DAYS: '0.0001',
    RESPONSE_SLA_HOURS: '0.002',
  });
  h.slack.channelIntervalMs = 1000;
  try {
    const now = new Date().toISOString();
    const posts = routine('fu', 12).map((m, i) => ({ ...m, postedAt: now, text: i < 3 ? NEG_TEXT : 'Zentiva pricing update announced at the congress this week.' }));
    expect((await postMention(h.base, { mentions: posts })).status).toBe(202);
    const rollup = () => h.slack.messages.find((m) => m.channel === ALERT_CHANNEL && !m.thread_ts && isRollup(m));
    const followUps = () => h.slack.messages.filter((m) => m.thread_ts !== undefined && m.thread_ts === rollup()?.ts && /^Follow-up with/.test(String(m.text)));
    await h.slack.waitFor(() => followUps().length === 3, 40_000, 'three follow-ups in the roll-up thread');
    expect(followUps().map((m) => /^Follow-up with (.+?):/.exec(String(m.text))?.[1]).sort()).toEqual(['Dr. &lt;b&gt;Evil&lt;/b&gt; &amp; Co', 'Dr. fu 1', 'Dr. fu 2']);
    const reminders = await h.pulse.ctx.db.kysely.selectFrom('reminders').select(['kind', 'status']).execute();
    // Their due escalations (due before the follow-ups, so already decided) were cancelled, none posted.
    expect(reminders.filter((r) => r.kind === 'response_sla').map((r) => r.status)).toEqual(Array(12).fill('cancelled'));
    expect(h.slack.messages.filter((m) => /Nobody has acted|escalat/i.test(String(m.text)))).toEqual([]);
  } finally {
    await h.close();
  }
}, 60_000);

test('a roll-up Slack refuses for good hides nothing: its posts go out as cards of their own', async () => {
  const h = await startHarness({ PV_CHANNEL_ID: '', BURST_HOLD_SECONDS: '2' });
  h.slack.channelIntervalMs = 1000;
  try {
    const db = h.pulse.ctx.db.kysely;
    const posts = routine('gone', 5);
    await db
      .insertInto('hcps')
      .values(posts.map((p, i) => ({ handle: String((p.author as { handle: string }).handle).slice(1).toLowerCase(), name: `Dr. Gone ${i}`, target: 0, channel_id: 'C0ROSTER', updated_at: new Date().toISOString() })))
      .execute();
    // The first message to go is the roll-up (no priority post here): Slack refuses it.
    h.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    expect((await postMention(h.base, { mentions: posts })).status).toBe(202);
    const inRoster = () => h.slack.messages.filter((m) => m.channel === 'C0ROSTER' && !m.thread_ts);
    await h.slack.waitFor(() => inRoster().length === 5, 20_000, 'five cards');
    const refused = h.slack.callsOf('chat.postMessage')[0]!;
    expect(isRollup({ channel: 'C0ROSTER', ts: '', blocks: refused.args.blocks } as Msg)).toBe(true);
    expect(inRoster().filter(isRollup)).toEqual([]);
    const ids = await db.selectFrom('mentions').select('id').execute();
    expect(inRoster().map((m) => (m.metadata as any).event_payload.mention_id).sort()).toEqual(ids.map((m) => m.id).sort());
    expect(await db.selectFrom('rollups').select('status').execute()).toEqual([{ status: 'closed' }]);
    expect(await db.selectFrom('outbox').select('id').where('status', '=', 'folded').execute()).toEqual([]);
  } finally {
    await h.close();
  }
}, 40_000);
