import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { mention, postMention, testEnv } from '../support/harness';
import { freePort, spawnBot, waitForHealthy } from '../support/process';
import { openDatabase } from '../../src/store/db';
import { onPostgres, testDatabase } from '../support/postgres';

// Each test starts bot processes through tsx: slow on a busy machine.
jest.setTimeout(150_000);
/**
 * On PostgreSQL several instances may share the outbox, so a restarted bot cannot tell its dead
 * predecessor's claims from a live neighbour's: it waits for their lease (30 s) to run out.
 * SQLite has one instance, which frees every lease at start.
 */
const LEASE_WAIT = onPostgres ? 35_000 : 0;

/** A Slack double, a fresh database folder and the environment of a bot process on a free port. */
async function fixture(extra: Record<string, string> = {}) {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-crash-'));
  const port = await freePort();
  const database = await testDatabase(dir);
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url, PORT: String(port), PV_CHANNEL_ID: '', LOG_LEVEL: 'warn', ...extra });
  const cleanup = async () => {
    await slack.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { slack, env, base: `http://127.0.0.1:${port}`, cleanup };
}

test('a bot killed after 202 while Slack fails posts the card once after restart', async () => {
  const { slack, env, base, cleanup } = await fixture();
  try {
    slack.failAlways('chat.postMessage', { status: 500 });
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    const res = await postMention(base, mention({ id: 'crash-1' }));
    expect(res.status).toBe(202);
    await slack.waitFor(() => slack.callsOf('chat.postMessage').length >= 1, 10_000, 'a failed delivery attempt');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(0);

    slack.heal('chat.postMessage');
    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= 1, 15_000 + LEASE_WAIT, 'the card after restart');
    await new Promise((r) => setTimeout(r, 2000));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    expect(String(slack.succeeded('chat.postMessage')[0]!.args.text)).toContain('Dr. Jane Doe');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await cleanup();
  }
});

test('a send interrupted by a crash after Slack took it is not posted again', async () => {
  const { slack, env, base, cleanup } = await fixture();
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    // Slack records the message, then the bot dies before it can mark the entry sent.
    slack.onCall = (method) => {
      if (method === 'chat.postMessage') first.child.kill('SIGKILL');
    };
    expect((await postMention(base, mention({ id: 'crash-2' }))).status).toBe(202);
    await first.exited;
    slack.onCall = undefined;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);

    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.callsOf('conversations.history').length >= 1, 15_000 + LEASE_WAIT, 'the look-up of the interrupted send');
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await cleanup();
  }
});

test('a bot killed while sending a due reminder delivers it exactly once after restart', async () => {
  const { slack, env, base, cleanup } = await fixture({ REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always' });
  const db = await openDatabase(env.DATABASE_URL!);
  await db.kysely.insertInto('hcps').values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: 'U0OWNER', updated_at: new Date().toISOString() }).execute();
  await db.close();
  const dms = () => slack.succeeded('chat.postMessage').filter((c) => c.args.channel === 'U0OWNER');
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    slack.onCall = (method) => {
      if (method === 'chat.postMessage' && dms().length === 1) first.child.kill('SIGKILL');
    };
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    expect((await postMention(base, mention({ id: 'crash-r', text: 'Started a patient on Zentiva today.', postedAt: old }))).status).toBe(202);
    await first.exited;
    slack.onCall = undefined;
    expect(dms()).toHaveLength(1);

    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.callsOf('conversations.history').some((c) => c.args.channel === 'U0OWNER'), 15_000 + LEASE_WAIT, 'the look-up of the interrupted reminder');
    await new Promise((r) => setTimeout(r, 2500));
    expect(dms()).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await cleanup();
  }
});

test('after a crash mid-send, a history look-up that fails decides nothing: the card is posted once the look-up works', async () => {
  const { slack, env, base, cleanup } = await fixture();
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    // The bot dies while Slack refuses the post: nothing reached the channel.
    slack.failNext('chat.postMessage', { status: 500 });
    slack.onCall = (method) => {
      if (method === 'chat.postMessage') first.child.kill('SIGKILL');
    };
    expect((await postMention(base, mention({ id: 'crash-lookup-fails' }))).status).toBe(202);
    await first.exited;
    slack.onCall = undefined;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(0);

    // The scope to read the channel back is missing: the look-up fails, again and again.
    slack.failAlways('conversations.history', { error: 'missing_scope' });
    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.callsOf('conversations.history').length >= 1, 15_000 + LEASE_WAIT, 'the failed look-up');
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    const db = await openDatabase(env.DATABASE_URL!);
    const entry = await db.kysely.selectFrom('outbox').select(['status', 'in_flight']).where('kind', '=', 'alert_card').executeTakeFirstOrThrow();
    await db.close();
    expect(entry).toEqual({ status: 'pending', in_flight: 1 });

    // Once the look-up answers (nothing there), the card goes out, once.
    slack.heal('conversations.history');
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= 1, 20_000, 'the card');
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await cleanup();
  }
});

test('after a crash mid-send, a look-up answered 500 keeps the entry in flight: the card is not posted twice', async () => {
  const { slack, env, base, cleanup } = await fixture();
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    // Slack takes the message, then the bot dies before recording it.
    slack.onCall = (method) => {
      if (method === 'chat.postMessage') first.child.kill('SIGKILL');
    };
    expect((await postMention(base, mention({ id: 'crash-lookup-500' }))).status).toBe(202);
    await first.exited;
    slack.onCall = undefined;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);

    slack.failNext('conversations.history', { status: 500 });
    const second = spawnBot(env);
    await waitForHealthy(base, second);
    // The first look-up fails, the next one finds the message.
    await slack.waitFor(() => slack.callsOf('conversations.history').length >= 2, 20_000 + LEASE_WAIT, 'a second look-up');
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    const db = await openDatabase(env.DATABASE_URL!);
    const entry = await db.kysely.selectFrom('outbox').select(['status', 'in_flight']).where('kind', '=', 'alert_card').executeTakeFirstOrThrow();
    await db.close();
    expect(entry).toEqual({ status: 'sent', in_flight: 0 });
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await cleanup();
  }
});
