import { ALERT_CHANNEL, cardText, mention, postMention, startHarness, type Harness } from '../support/harness';
import { newTriggerId, sendCommand, sendEvent, sendInteraction, submitView } from '../support/slack-requests';

const INTAKE = 'C0INTAKE';
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ INTAKE_CHANNEL_ID: INTAKE, PV_CHANNEL_ID: '' });
});
afterEach(async () => {
  await h.close();
});

let seq = 0;
const envelope = (event: Record<string, unknown>, eventId = `Ev${Date.now()}${++seq}`) => ({
  token: 'legacy',
  team_id: 'T0TEST',
  api_app_id: 'A0PULSE',
  type: 'event_callback',
  event_id: eventId,
  event_time: Math.floor(Date.now() / 1000),
  authorizations: [{ team_id: 'T0TEST', user_id: 'U0BOT', is_bot: true }],
  event: { channel: INTAKE, channel_type: 'channel', event_ts: `${Date.now() / 1000}`, ...event },
});

const POST_URL = 'https://x.com/DrJane/status/1790000000000000111';
const preview = (text: string) => ({
  id: 1,
  service_name: 'X (formerly Twitter)',
  title: 'Dr. Jane Doe (@DrJane) on X',
  title_link: POST_URL,
  text,
  from_url: POST_URL,
  original_url: POST_URL,
  fallback: 'X (formerly Twitter): Dr. Jane Doe (@DrJane) on X',
});

const cards = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL);
const threadReplies = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === INTAKE && c.args.thread_ts);
const mentions = () => h.pulse.ctx.db.kysely.selectFrom('mentions').selectAll().execute();

test('a link with a preview becomes an alert card, and the bot answers in the thread with its link', async () => {
  const res = await sendEvent(
    h.base,
    envelope({ type: 'message', user: 'U0REP1', ts: '1800000100.000100', text: `look at this <${POST_URL}>`, attachments: [preview('Prior auth denied AGAIN for Zentiva. Exhausting &amp; pointless.')] }),
  );
  expect(res.status).toBe(200);
  await h.slack.waitFor(() => threadReplies().length === 1, 8000, 'the thread reply');
  expect(cards()).toHaveLength(1);
  const card = cardText(cards()[0]!.args.blocks);
  expect(card).toContain('*Negative* mention by *Dr. Jane Doe* (@drjane)');
  expect(card).toContain('Exhausting &amp; pointless.');
  expect(card).toContain('Forwarded by <@U0REP1>');
  expect(card).not.toContain('the rep\'s, not the post\'s');
  const reply = threadReplies()[0]!;
  expect(reply.args.thread_ts).toBe('1800000100.000100');
  expect(reply.args.text).toContain(`https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p`);
  expect(h.slack.callsOf('chat.getPermalink')[0]!.args).toMatchObject({ channel: ALERT_CHANNEL, message_ts: cards()[0]!.args && h.slack.messages[0]!.ts });
  const [m] = await mentions();
  expect(m).toMatchObject({ source: 'x', external_id: '1790000000000000111', via: 'intake', reported_by: 'U0REP1', text_from_reporter: 0 });
});

test('a preview arriving later in message_changed completes the mention, never logging it twice', async () => {
  const ts = '1800000200.000200';
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP1', ts, text: `<${POST_URL}?s=20&amp;t=abc> she loves it` }));
  await h.slack.waitFor(() => cards().length === 1, 8000, 'the first card');
  expect(cardText(cards()[0]!.args.blocks)).toContain('the rep\'s, not the post\'s');
  expect(cardText(cards()[0]!.args.blocks)).toContain('she loves it');

  await sendEvent(
    h.base,
    envelope({
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      ts: '1800000201.000000',
      message: { type: 'message', user: 'U0REP1', ts, text: `<${POST_URL}?s=20&amp;t=abc> she loves it`, attachments: [preview('Honestly disappointed: discontinued Zentiva due to nausea in two patients.')] },
      previous_message: { type: 'message', user: 'U0REP1', ts, text: `<${POST_URL}?s=20&amp;t=abc> she loves it` },
    }),
  );
  await h.slack.waitFor(() => h.slack.succeeded('chat.update').length >= 1, 8000, 'the card update');
  const updated = cardText(h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!.blocks);
  expect(updated).toContain('discontinued Zentiva due to nausea');
  expect(updated).toContain('*Negative*');
  expect(updated).not.toContain('the rep\'s, not the post\'s');
  expect(await mentions()).toHaveLength(1);
  expect(cards()).toHaveLength(1);
  await new Promise((r) => setTimeout(r, 300));
  expect(threadReplies()).toHaveLength(1);
});

test('without a preview the handle comes from the URL and the card says the text is the rep\'s', async () => {
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP2', ts: '1800000300.000300', text: 'https://mobile.twitter.com/DrSam/status/1790000000000000333?ref=abc Dr Sam is unhappy with Zentiva' }));
  await h.slack.waitFor(() => cards().length === 1 && threadReplies().length === 1, 8000, 'card and reply');
  const text = cardText(cards()[0]!.args.blocks);
  expect(text).toContain('@drsam');
  expect(text).toContain('Dr Sam is unhappy with Zentiva');
  expect(text).toContain('the rep\'s, not the post\'s');
  const [m] = await mentions();
  expect(m).toMatchObject({ external_id: '1790000000000000333', url: 'https://x.com/DrSam/status/1790000000000000333', text_from_reporter: 1 });
});

test('a retried event (same event_id) is absorbed', async () => {
  const e = envelope({ type: 'message', user: 'U0REP1', ts: '1800000400.000400', text: `<${POST_URL}>`, attachments: [preview('Zentiva works well')] }, 'EvRETRY1');
  await sendEvent(h.base, e);
  await h.slack.waitFor(() => threadReplies().length === 1, 8000, 'the reply');
  const retry = await sendEvent(h.base, e, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
  expect(retry.status).toBe(200);
  await new Promise((r) => setTimeout(r, 1500));
  expect(cards()).toHaveLength(1);
  expect(threadReplies()).toHaveLength(1);
  expect(h.slack.callsOf('chat.getPermalink')).toHaveLength(1);
});

test('a post forwarded twice yields one card; the second forwarder is pointed to it', async () => {
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP1', ts: '1800000500.000500', text: `<${POST_URL}>`, attachments: [preview('Zentiva works well')] }));
  await h.slack.waitFor(() => threadReplies().length === 1, 8000, 'the first reply');
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP2', ts: '1800000600.000600', text: `same one <https://twitter.com/DrJane/status/1790000000000000111>` }));
  await h.slack.waitFor(() => threadReplies().length === 2, 8000, 'the second reply');
  expect(cards()).toHaveLength(1);
  const second = threadReplies()[1]!;
  expect(second.args.thread_ts).toBe('1800000600.000600');
  expect(second.args.text).toContain('already logged');
  expect(second.args.text).toContain(`https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p`);
});

test('messages without a status link, bot messages and other channels are left alone', async () => {
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP1', ts: '1800000700.000700', text: 'no link here, https://example.com/page' }));
  await sendEvent(h.base, envelope({ type: 'message', subtype: 'bot_message', bot_id: 'B0OTHER', ts: '1800000701.000701', text: `<${POST_URL}>` }));
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP1', ts: '1800000702.000702', text: `<${POST_URL}>`, channel: 'C0ELSEWHERE' }));
  await new Promise((r) => setTimeout(r, 1000));
  expect(await mentions()).toHaveLength(0);
  expect(h.slack.succeeded('chat.postMessage')).toHaveLength(0);
});

const shortcut = (message: Record<string, unknown>) => ({
  type: 'message_action',
  callback_id: 'log_hcp_mention',
  trigger_id: newTriggerId(),
  response_url: 'http://127.0.0.1:9/response',
  team: { id: 'T0TEST', domain: 'pulse-test' },
  channel: { id: 'C0GENERAL', name: 'general' },
  user: { id: 'U0REP3', name: 'rep3', team_id: 'T0TEST' },
  message_ts: String(message.ts),
  action_ts: `${Date.now() / 1000}`,
  message: { type: 'message', ...message },
});

test('the message shortcut opens a prefilled modal; a bad URL is a field error and logs nothing; a good one logs', async () => {
  const res = await sendInteraction(h.base, shortcut({ user: 'U0REP9', ts: '1800000800.000800', text: `<${POST_URL}>`, attachments: [preview('Zentiva changed my practice.')] }));
  expect(res.status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'views.open');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  const initial = (id: string) => view.blocks.find((b: any) => b.block_id === id)?.element.initial_value;
  expect(initial('post_url')).toBe('https://x.com/DrJane/status/1790000000000000111');
  expect(initial('author_handle')).toBe('DrJane');
  expect(initial('author_name')).toBe('Dr. Jane Doe');
  expect(initial('post_text')).toBe('Zentiva changed my practice.');

  const values = (url: string) => ({
    post_url: { value: { type: 'plain_text_input', value: url } },
    author_handle: { value: { type: 'plain_text_input', value: 'DrJane' } },
    author_name: { value: { type: 'plain_text_input', value: 'Dr. Jane Doe' } },
    post_text: { value: { type: 'plain_text_input', value: 'Zentiva changed my practice.' } },
    product: { value: { type: 'plain_text_input', value: null } },
  });
  const bad = await sendInteraction(h.base, submitView(view, values('not a url'), 'U0REP3'));
  expect(bad.status).toBe(200);
  expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { post_url: 'Enter the post\'s link, starting with https://' } });
  expect(await mentions()).toHaveLength(0);

  const good = await sendInteraction(h.base, submitView(view, values(POST_URL), 'U0REP3'));
  expect(good.status).toBe(200);
  await h.slack.waitFor(() => cards().length === 1 && h.slack.callsOf('chat.postEphemeral').length === 1, 8000, 'card and answer');
  expect(h.slack.callsOf('chat.postEphemeral')[0]!.args).toMatchObject({ channel: 'C0GENERAL', user: 'U0REP3' });
  expect(String(h.slack.callsOf('chat.postEphemeral')[0]!.args.text)).toContain(`<#${ALERT_CHANNEL}>`);
  expect(await mentions()).toMatchObject([{ via: 'shortcut', reported_by: 'U0REP3', external_id: '1790000000000000111' }]);
});

const command = (text: string) => ({
  token: 'legacy',
  team_id: 'T0TEST',
  team_domain: 'pulse-test',
  channel_id: 'C0GENERAL',
  channel_name: 'general',
  user_id: 'U0REP4',
  user_name: 'rep4',
  command: '/hcp',
  text,
  api_app_id: 'A0PULSE',
  is_enterprise_install: 'false',
  response_url: 'http://127.0.0.1:9/response',
  trigger_id: newTriggerId(),
});

test('/hcp log logs from a URL and text; the same post again points to the existing card', async () => {
  const first = await sendCommand(h.base, command(`log ${POST_URL} Really impressed with Zentiva so far`));
  expect(first.status).toBe(200);
  expect(JSON.parse(first.body).text).toContain('Logged.');
  await h.slack.waitFor(() => cards().length === 1, 8000, 'the card');
  expect(cardText(cards()[0]!.args.blocks)).toContain('Really impressed with Zentiva so far');
  await new Promise((r) => setTimeout(r, 100));
  const again = await sendCommand(h.base, command(`log https://twitter.com/DrJane/status/1790000000000000111 same post`));
  expect(JSON.parse(again.body).text).toContain('already logged');
  expect(JSON.parse(again.body).text).toContain(`https://pulse-test.slack.com/archives/${ALERT_CHANNEL}/p`);
  expect(cards()).toHaveLength(1);

  const bad = await sendCommand(h.base, command('log https://example.com/post hello'));
  expect(JSON.parse(bad.body).text).toContain('not an X/Twitter post link');
  const noText = await sendCommand(h.base, command(`log ${POST_URL}`));
  expect(JSON.parse(noText.body).text).toContain('Paste the post\'s text.');
  const help = await sendCommand(h.base, command('help'));
  expect(JSON.parse(help.body).text).toContain('/hcp log <post-url> <text>');
});

test('a post sent by webhook and then forwarded in Slack yields one card', async () => {
  expect((await postMention(h.base, mention({ id: '1790000000000000111', url: POST_URL }))).status).toBe(202);
  await h.slack.waitFor(() => cards().length === 1, 8000, 'the webhook card');
  await sendEvent(h.base, envelope({ type: 'message', user: 'U0REP1', ts: '1800000900.000900', text: `<${POST_URL}>` }));
  await h.slack.waitFor(() => threadReplies().length === 1, 8000, 'the reply');
  expect(threadReplies()[0]!.args.text).toContain('already logged');
  expect(cards()).toHaveLength(1);
});
