import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse, type Pulse } from '../../src/app';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { testEnv } from '../support/harness';
import { testDatabase, type TestDatabase } from '../support/postgres';
import { freePort } from '../support/process';
import { SocketModeDouble } from '../support/socket-double';

jest.setTimeout(60_000);

/** Socket Mode: /healthz and /metrics report the WebSocket to Slack, through a drop and a reconnect. */
let slack: SlackDouble;
let socket: SocketModeDouble;
let pulse: Pulse | undefined;
let dir: string;
let database: TestDatabase;

beforeEach(async () => {
  slack = await new SlackDouble().start();
  socket = await new SocketModeDouble().start();
  slack.socketUrl = socket.url;
  dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-socket-'));
  database = await testDatabase(dir);
});
afterEach(async () => {
  await pulse?.stop();
  await socket.stop();
  await slack.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function health(base: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/healthz`);
  return { status: res.status, body: await res.json() };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('/healthz says whether the Socket Mode connection to Slack is up, through a drop and a reconnect', async () => {
  const port = await freePort();
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url, SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-1-test', PORT: String(port) });
  pulse = await startPulse(loadConfig(env), { logger: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${port}`;

  await until('the socket to connect', async () => (await health(base)).body.slack === 'connected');
  expect(await health(base)).toEqual({ status: 200, body: { status: 'ok', slack: 'connected' } });
  const metrics = async () => (await (await fetch(`${base}/metrics`)).text()).match(/^hcp_pulse_slack_socket_connected (\d)/m)?.[1];
  expect(await metrics()).toBe('1');

  socket.dropAll();
  await until('the drop to show', async () => (await health(base)).body.slack !== 'connected');
  const down = await health(base);
  expect(down.status).toBe(200); // the database answers; the Slack link is reported beside it
  expect(['disconnected', 'reconnecting', 'connecting']).toContain(down.body.slack);
  expect(await metrics()).toBe('0');

  await until('the reconnect', async () => (await health(base)).body.slack === 'connected', 30_000);
  expect(socket.connections).toBeGreaterThanOrEqual(2);
  expect(await metrics()).toBe('1');
});

test('in HTTP mode /healthz stays {"status":"ok"}', async () => {
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url });
  pulse = await startPulse(loadConfig(env), { logger: pino({ level: 'silent' }) });
  expect(await health(`http://127.0.0.1:${pulse.port}`)).toEqual({ status: 200, body: { status: 'ok' } });
});
