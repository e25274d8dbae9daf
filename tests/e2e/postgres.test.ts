import { ALERT_CHANNEL, cardText, mention, postMention, startHarness, type Harness } from '../support/harness';
import { freshPostgresDatabase } from '../support/postgres';
import { clickOn, sendInteraction } from '../support/slack-requests';

/**
 * The same store on PostgreSQL (DATABASE_URL=postgres://…), against the real server: the
 * paths where the dialects differ (ids, conflicts, counts, claims).
 */
let h: Harness;
let drop: () => Promise<void>;
beforeAll(async () => {
  const db = await freshPostgresDatabase();
  drop = db.drop;
  h = await startHarness({ DATABASE_URL: db.url, PV_CHANNEL_ID: '', REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always' });
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: 'U0OWNER', updated_at: new Date().toISOString() })
    .execute();
});
afterAll(async () => {
  await h.close();
  await drop();
});

test('on PostgreSQL: a mention becomes a card, duplicates (5 at once) make one, and a click updates it', async () => {
  expect(h.pulse.ctx.db.dialect).toBe('postgres');
  const body = mention({ id: 'pg-1' });
  const answers = await Promise.all(Array.from({ length: 5 }, () => postMention(h.base, body)));
  expect(answers.filter((a) => a.json.accepted === 1)).toHaveLength(1);
  expect(answers.filter((a) => a.json.duplicates === 1)).toHaveLength(4);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL), 5000, 'the card');
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
  expect(cardText(card.blocks)).toContain('*Positive*');
  await sendInteraction(h.base, clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Assign to me', 'U0REP1'));
  await h.slack.waitFor(() => cardText(card.blocks).includes('Assigned to <@U0REP1>'), 5000, 'the update');
  // Slack has the update a moment before the outbox records it as sent.
  let metrics = '';
  for (let i = 0; i < 20 && !/hcp_pulse_outbox_depth 0/.test(metrics); i++) {
    await new Promise((r) => setTimeout(r, 100));
    metrics = await (await fetch(`${h.base}/metrics`)).text();
  }
  expect(metrics).toMatch(/hcp_pulse_outbox_depth 0/);
  expect(metrics).toMatch(/hcp_pulse_mentions_total\{source="x",outcome="duplicate"\} 4/);
  expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
});

test('on PostgreSQL: a due follow-up is delivered once to the roster owner', async () => {
  await postMention(h.base, mention({ id: 'pg-2', text: 'Started a patient on Zentiva today.', postedAt: new Date(Date.now() - 100 * 86_400_000).toISOString() }));
  const dms = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === 'U0OWNER');
  await h.slack.waitFor(() => dms().length === 1, 6000, 'the reminder');
  await new Promise((r) => setTimeout(r, 2000));
  expect(dms()).toHaveLength(1);
});
