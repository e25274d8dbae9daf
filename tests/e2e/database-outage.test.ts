import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { ALERT_CHANNEL, mention, postMention, startHarness, testEnv } from '../support/harness';
import { freePort, spawnBot, waitForHealthy } from '../support/process';
import { freshPostgresDatabase, PG_ADMIN_URL } from '../support/postgres';

/**
 * The database goes away under a running bot and comes back. On PostgreSQL by nature (the
 * server is a separate process we can close to it): in the PostgreSQL pass (jest.config.js).
 * The bot is a process of its own, as in production: an unhandled 'error' event from a
 * dropped connection would end it, and the test would see it gone.
 */
jest.setTimeout(150_000);

async function admin<T>(run: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/** Closes the database: no new connections, and every open one (the bot's pool) terminated. */
const closeDatabase = (name: string) =>
  admin(async (c) => {
    await c.query(`alter database ${name} allow_connections false`);
    await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  });
const reopenDatabase = (name: string) => admin((c) => c.query(`alter database ${name} allow_connections true`));

async function health(base: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/healthz`);
  return { status: res.status, body: await res.json() };
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('PostgreSQL down: /healthz 503 with the reason, webhooks told to retry; back up: 200 again, queued and new mentions become cards once, no restart', async () => {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-outage-'));
  const database = await freshPostgresDatabase();
  const name = new URL(database.url).pathname.slice(1);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url, PORT: String(port), PV_CHANNEL_ID: '', LOG_LEVEL: 'warn' });
  const bot = spawnBot(env);
  const cards = () => slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL);
  try {
    await waitForHealthy(base, bot);
    expect((await postMention(base, mention({ id: 'before' }))).status).toBe(202);
    await slack.waitFor(() => cards().length === 1, 10_000, 'the first card');

    // Accepted while Slack fails: its card waits in the outbox through the outage.
    slack.failAlways('chat.postMessage', { status: 500 });
    expect((await postMention(base, mention({ id: 'queued', text: 'Zentiva has been fine for my patients this winter.' }))).status).toBe(202);
    await slack.waitFor(() => slack.callsOf('chat.postMessage').length >= 2, 10_000, 'a failed attempt at the queued card');

    await closeDatabase(name);
    const down = await until('/healthz to say the database is down', () => health(base), (h) => h.status === 503);
    expect(down.body).toEqual({ status: 'unavailable', reason: 'database', detail: 'the database refused the connection or the query' });
    // Nothing can be committed: the sender is told to retry, and nothing is half-stored.
    const refused = await postMention(base, mention({ id: 'during' }));
    expect(refused).toEqual({ status: 503, json: { error: 'unavailable', retry: true } });

    slack.heal('chat.postMessage');
    await reopenDatabase(name);
    await until('/healthz to recover', () => health(base), (h) => h.status === 200);
    expect(bot.child.exitCode).toBeNull();

    // The sender's retry of the refused mention, and a new one: each becomes a card.
    expect((await postMention(base, mention({ id: 'during' }))).status).toBe(202);
    expect((await postMention(base, mention({ id: 'after', text: 'Another good month on Zentiva for my clinic.' }))).status).toBe(202);
    // The queued card may have been mid-send when the database went: its claim then holds
    // for the lease (30 s) before it is looked up in the channel and sent.
    await slack.waitFor(() => cards().length === 4, 75_000, 'the queued card and the two after the outage');
    await new Promise((r) => setTimeout(r, 1500));
    const texts = cards().map((c) => String(c.args.text));
    expect(cards()).toHaveLength(4);
    expect(texts.filter((t) => t.includes('this winter'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('good month'))).toHaveLength(1);
    expect(bot.child.exitCode).toBeNull();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  } finally {
    if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await reopenDatabase(name).catch(() => undefined);
    await slack.stop();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on SQLite /healthz stays 200 (the database is a file in the process)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-sqlite-health-'));
  const h = await startHarness({ DATABASE_URL: `file:${join(dir, 'pulse.db')}` });
  try {
    expect(h.pulse.ctx.db.dialect).toBe('sqlite');
    expect(await health(h.base)).toEqual({ status: 200, body: { status: 'ok' } });
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
