import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse } from '../../src/app';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { mention, postMention, startHarness, testEnv, type Harness } from '../support/harness';
import { testDatabase } from '../support/postgres';
import { clickOn, sendInteraction } from '../support/slack-requests';

/** What operators see: /metrics on its own port or behind a token, with latency histograms. */
const TOKEN = 'metrics-token-0123456789abcdef';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
};

/** The value of one series in Prometheus text, or undefined. */
const series = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

test('METRICS_PORT serves /metrics alone on its own port, and not on PORT', async () => {
  h = await startHarness({ METRICS_PORT: '0' });
  const port = h.pulse.metricsPort!;
  expect(port).toBeGreaterThan(0);
  expect(port).not.toBe(h.pulse.port);
  const m = await get(`http://127.0.0.1:${port}/metrics`);
  expect(m.status).toBe(200);
  expect(m.headers.get('content-type')).toContain('text/plain');
  expect(m.text).toContain('hcp_pulse_outbox_depth 0');
  // prom-client's default process metrics.
  expect(m.text).toMatch(/^process_cpu_user_seconds_total \d/m);
  expect(m.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  expect(m.text).toMatch(/^process_resident_memory_bytes \d/m);
  expect((await get(`${h.base}/metrics`)).status).toBe(404);
  expect((await get(`http://127.0.0.1:${port}/healthz`)).status).toBe(404);
  expect((await get(`${h.base}/healthz`)).status).toBe(200);
});

test('METRICS_TOKEN: no token or a wrong one is 401, the right one is 200', async () => {
  h = await startHarness({ METRICS_TOKEN: TOKEN });
  const none = await get(`${h.base}/metrics`);
  expect(none.status).toBe(401);
  expect(JSON.parse(none.text)).toEqual({ error: 'unauthorized' });
  expect(none.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
  expect(none.text).not.toContain('hcp_pulse');
  expect((await get(`${h.base}/metrics`, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
  expect((await get(`${h.base}/metrics`, { authorization: `Basic ${TOKEN}` })).status).toBe(401);
  const ok = await get(`${h.base}/metrics`, { authorization: `Bearer ${TOKEN}` });
  expect(ok.status).toBe(200);
  expect(ok.text).toContain('hcp_pulse_mentions_total');
});

test('both together: the token guards the metrics port', async () => {
  h = await startHarness({ METRICS_PORT: '0', METRICS_TOKEN: TOKEN });
  const url = `http://127.0.0.1:${h.pulse.metricsPort}/metrics`;
  expect((await get(url)).status).toBe(401);
  expect((await get(url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
});

test('histograms: mention to card, ack of a click, time to a rep\'s first action (once per mention)', async () => {
  h = await startHarness();
  expect((await postMention(h.base, mention({ id: 'hist-1' }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.succeeded('chat.postMessage').length === 1, 5000, 'the card');
  await new Promise((r) => setTimeout(r, 100));
  const card = h.slack.succeeded('chat.postMessage')[0]!;
  const message = { channel: String(card.args.channel), ts: h.slack.messages[0]!.ts, blocks: card.args.blocks };
  expect((await sendInteraction(h.base, clickOn(message, 'Assign to me'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.succeeded('chat.update').length >= 1, 5000, 'the card update');
  const after = h.slack.messages[0]!;
  expect((await sendInteraction(h.base, clickOn({ ...message, blocks: after.blocks }, 'Mark done'))).status).toBe(200);
  const text = (await get(`${h.base}/metrics`)).text;
  expect(series(text, 'hcp_pulse_mention_to_card_seconds_count{role="alert"}')).toBe(1);
  expect(series(text, 'hcp_pulse_slack_ack_seconds_count{kind="interactive"}')).toBe(2);
  expect(series(text, 'hcp_pulse_first_action_seconds_count')).toBe(1);
  expect(series(text, 'hcp_pulse_first_action_seconds_bucket{le="+Inf"}')).toBe(1);
});

test('outbox depth and oldest age per priority: a waiting adverse event stands out', async () => {
  h = await startHarness();
  h.slack.failAlways('chat.postMessage', { status: 500 });
  await postMention(h.base, mention({ id: 'ae-1', text: 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.' }));
  await postMention(h.base, mention({ id: 'routine-1' }));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postMessage').length >= 1, 5000, 'a failed attempt');
  await new Promise((r) => setTimeout(r, 1100));
  const text = (await get(`${h.base}/metrics`)).text;
  expect(series(text, 'hcp_pulse_outbox_depth_by_priority{priority="adverse_event"}')).toBe(2); // the card and its PV copy
  expect(series(text, 'hcp_pulse_outbox_depth_by_priority{priority="routine"}')).toBe(1);
  expect(series(text, 'hcp_pulse_outbox_depth_by_priority{priority="medical_question"}')).toBe(0);
  expect(series(text, 'hcp_pulse_outbox_oldest_age_by_priority_seconds{priority="adverse_event"}')).toBeGreaterThanOrEqual(1);
  expect(series(text, 'hcp_pulse_outbox_depth')).toBe(3);
  h.slack.heal('chat.postMessage');
});

test('METRICS_PORT equal to PORT is a configuration error', () => {
  expect(() => loadConfig(testEnv('http://127.0.0.1:9/api/', '/tmp', { PORT: '3000', METRICS_PORT: '3000' }))).toThrow(/METRICS_PORT: must differ from PORT/);
  expect(() => loadConfig(testEnv('http://127.0.0.1:9/api/', '/tmp', { METRICS_TOKEN: 'short' }))).toThrow(/METRICS_TOKEN: the value given is not valid: expected at least 16 characters/);
});

test('a PV case nobody acknowledged is counted open, then past its deadline once the clock passes it', async () => {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-pvm-'));
  const database = await testDatabase(dir);
  let offsetMs = 0;
  const pulse = await startPulse(loadConfig(testEnv(slack.url, dir, { DATABASE_URL: database.url })), { logger: pino({ level: 'silent' }), now: () => new Date(Date.now() + offsetMs) });
  const base = `http://127.0.0.1:${pulse.port}`;
  try {
    expect((await postMention(base, mention({ id: 'pv-metric-1', text: 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.' }))).status).toBe(202);
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= 2, 8000, 'the card and the PV message');
    const now = (await get(`${base}/metrics`)).text;
    expect(series(now, 'hcp_pulse_pv_cases_open')).toBe(1);
    expect(series(now, 'hcp_pulse_pv_cases_past_deadline')).toBe(0);
    offsetMs = 10 * 86_400_000; // ten days on: past any business-day deadline
    const later = (await get(`${base}/metrics`)).text;
    expect(series(later, 'hcp_pulse_pv_cases_open')).toBe(1);
    expect(series(later, 'hcp_pulse_pv_cases_past_deadline')).toBe(1);
  } finally {
    await pulse.stop();
    await slack.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
