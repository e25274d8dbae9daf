import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { MIGRATION_LOCK_KEY, openDatabase } from '../../src/store/db';
import { migrations } from '../../src/store/migrations';
import { mention, postMention, testEnv } from '../support/harness';
import { type BotProcess, freePort, spawnBot, waitForHealthy } from '../support/process';
import { freshPostgresDatabase, type TestDatabase } from '../support/postgres';

/**
 * Several bot processes on one PostgreSQL database and one Slack: what they coordinate through
 * the database (migrations, the outbox's claims). PostgreSQL by nature: several instances need
 * a database server, so this file runs in the PostgreSQL pass (jest.config.js).
 *
 * INSTANCES_TEST_POSTS sets how many posts the kill test sends (600 here; `npm run
 * test:instances` sends 5,000).
 */
const POSTS = Number(process.env.INSTANCES_TEST_POSTS ?? 600);
// Waits, not timings: process starts through tsx on a busy 2-core machine, then the posts.
jest.setTimeout(180_000 + POSTS * 60);

interface Bot {
  proc: BotProcess;
  base: string;
}

let slack: SlackDouble;
let dir: string;
let database: TestDatabase;
const bots: Bot[] = [];

beforeEach(async () => {
  slack = await new SlackDouble().start();
  dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-instances-'));
  database = await freshPostgresDatabase();
});
afterEach(async () => {
  for (const b of bots.splice(0)) {
    if (b.proc.child.exitCode === null && b.proc.child.signalCode === null) {
      b.proc.child.kill('SIGKILL');
      await b.proc.exited;
    }
  }
  await slack.stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function startBot(): Promise<Bot> {
  const port = await freePort();
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url, PORT: String(port), PV_CHANNEL_ID: '', LOG_LEVEL: 'warn', DATABASE_POOL_MAX: '5' });
  const bot = { proc: spawnBot(env), base: `http://127.0.0.1:${port}` };
  bots.push(bot);
  return bot;
}

async function query<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: database.url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('two instances started at once migrate once: each waits for the advisory lock, then both come up on one schema', async () => {
  // Someone else is migrating: the test holds the lock the bots take.
  const holder = new Client({ connectionString: database.url });
  await holder.connect();
  try {
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const a = await startBot();
    const b = await startBot();
    // Both bots are connected and waiting on the lock, and neither has touched the schema.
    await until(
      'both bots to wait for the migration lock',
      async () => Number((await query<{ n: string }>("select count(*) as n from pg_locks where locktype = 'advisory' and not granted"))[0]!.n) === 2,
      60_000,
    );
    expect(await query("select 1 from information_schema.tables where table_name in ('kysely_migration', 'mentions')")).toEqual([]);

    await holder.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    await Promise.all([waitForHealthy(a.base, a.proc), waitForHealthy(b.base, b.proc)]);
    const applied = await query<{ name: string }>('select name from kysely_migration order by name');
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations('postgres')).sort());
    // One schema for both: a mention sent to one is a duplicate at the other.
    const body = mention({ id: 'both-see-it' });
    expect((await postMention(a.base, body)).json).toMatchObject({ accepted: 1 });
    expect((await postMention(b.base, body)).json).toMatchObject({ accepted: 0, duplicates: 1 });
  } finally {
    await holder.end();
  }
});

test(`two instances share ${POSTS} posts; one is killed (SIGKILL) midway: every post has exactly one card, none lost`, async () => {
  // A roster spreading the cards over many channels, five posts each: Slack's pacing of one
  // message per channel per second would otherwise make this a test of patience.
  const channels = Math.max(1, Math.ceil(POSTS / 5));
  const channelOf = (k: number) => `C0CH${String(k).padStart(5, '0')}`;
  const db = await openDatabase(database.url);
  const now = new Date().toISOString();
  for (let from = 0; from < channels; from += 500) {
    const rows = Array.from({ length: Math.min(500, channels - from) }, (_, j) => ({ handle: `hcp${from + j}`, name: `Dr. Number ${from + j}`, target: 0, channel_id: channelOf(from + j), updated_at: now }));
    await db.kysely.insertInto('hcps').values(rows).execute();
  }
  await db.close();

  const a = await startBot();
  const b = await startBot();
  await Promise.all([waitForHealthy(a.base, a.proc), waitForHealthy(b.base, b.proc)]);

  const ref = (i: number) => `ref-${String(i).padStart(6, '0')}`;
  const body = (i: number) =>
    mention({ id: `inst-${i}`, author: { handle: `@hcp${i % channels}`, name: `Dr. Number ${i % channels}` }, text: `Zentiva note ${ref(i)}: my patients are doing fine on it.` });
  let answered = 0;
  let killed = false;
  const started = Date.now();
  let killedAt = 0;
  // The sender (a load balancer's view): even posts to A, odd to B; an answer that is not 202
  // (A is gone, its connection reset) is retried at B, as a sender retries.
  const send = async (i: number) => {
    for (let attempt = 0; ; attempt++) {
      const target = i % 2 === 0 && !killed && attempt === 0 ? a : b;
      const res = await postMention(target.base, body(i)).catch(() => null);
      if (res?.status === 202) break;
      if (attempt > 20) throw new Error(`post ${i} was never accepted: ${JSON.stringify(res)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    answered += 1;
    if (!killed && answered >= POSTS / 2) {
      killed = true;
      killedAt = Date.now();
      a.proc.child.kill('SIGKILL');
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < POSTS) await send(next++);
    }),
  );
  await a.proc.exited;
  const accepted = Date.now();

  const cards = () => slack.succeeded('chat.postMessage').filter((c) => !c.args.thread_ts && String(c.args.channel).startsWith('C0CH'));
  const seen = () => new Set(cards().flatMap((c) => String(c.args.text).match(/ref-\d{6}/g) ?? [])).size;
  // A's claims at its death are B's once their lease (30 s) runs out.
  await slack.waitFor(() => seen() === POSTS, 60_000 + POSTS * 40, `a card for each of the ${POSTS} posts`);
  const allCards = Date.now();
  await until('the outbox to record every delivery', async () => Number((await query<{ n: string }>("select count(*) as n from outbox where status = 'pending'"))[0]!.n) === 0, 60_000);
  // Anything posted twice would show by now: both the lookups and the sends have settled.
  await new Promise((r) => setTimeout(r, 2000));

  const count = new Map<string, number>();
  for (const c of cards()) for (const r of String(c.args.text).match(/ref-\d{6}/g) ?? []) count.set(r, (count.get(r) ?? 0) + 1);
  const twice = [...count].filter(([, n]) => n > 1);
  const missing = Array.from({ length: POSTS }, (_, i) => ref(i)).filter((r) => !count.has(r));
  expect({ twice, missing }).toEqual({ twice: [], missing: [] });
  expect(cards()).toHaveLength(POSTS);
  // Each card is in its HCP's channel.
  for (const c of cards()) {
    const i = Number(String(c.args.text).match(/ref-(\d{6})/)![1]);
    expect(c.args.channel).toBe(channelOf(i % channels));
  }
  const stored = await query<{ n: string }>("select count(*) as n from mentions where external_id like 'inst-%'");
  expect(Number(stored[0]!.n)).toBe(POSTS);
  expect(b.proc.child.exitCode).toBeNull();
  // Figures for the record (the bench measures speed; this test asserts none of them).
  console.log(
    `several instances: ${POSTS} posts over ${channels} channels, A killed at ${((killedAt - started) / 1000).toFixed(1)} s; all accepted ${((accepted - started) / 1000).toFixed(1)} s; every card in Slack ${((allCards - started) / 1000).toFixed(1)} s; ${cards().length} cards, ${twice.length} twice, ${missing.length} missing`,
  );
  b.proc.child.kill('SIGTERM');
  expect(await b.proc.exited).toBe(0);
});
