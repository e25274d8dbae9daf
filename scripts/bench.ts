/**
 * npm run bench [-- --quick] [-- --pg] [-- --only burst|card]: the bot's speed, measured beside bare references in
 * the same run, so that figures from a shared or slow machine still compare. Each figure has
 * a warm-up and several rounds; the table gives the median and the spread (min-max) of the
 * rounds. Prints a table and one JSON line, and writes the JSON to bench-results.json.
 *
 * Figures: webhook ingest on an idle bot and with a backlog of cards in one channel; the
 * same against `node:http` + the same HMAC check + one insert with the same driver (bare);
 * webhook → card on an idle bot, one at a time; click ack on an idle bot and during the
 * backlog, against a Bolt app on the same Bolt that only acks (bare Bolt); a burst of posts
 * to one channel (every tenth a possible adverse event) with the Slack double enforcing
 * Slack's per-channel limit; the reminder tick (scripts/bench-tick.ts); RSS; restart time.
 *
 * --quick is the CI version: smaller sizes, and it exits non-zero when a same-run ratio
 * falls below a quarter of its target. Traffic stays on 127.0.0.1.
 *
 * --only burst (the burst figures) or --only card (webhook → card, idle, in fresh bots as the
 * rounds do) measures that alone and prints it, to compare changes in one area quickly; it
 * writes no bench-results file (README's figures come from a full run).
 *
 * --only ingest runs the rounds' bot part (cards, clicks, both ingests, RSS) each followed by
 * the bare references, and prints the ingest figures and their same-run ratios. For an A/B on
 * a shared machine, BENCH_VARIANTS='A=1;A=0' (variants split by ';', each a comma-separated
 * list of NAME=value added to the bot's environment) runs one bot per variant in every round,
 * in alternating order, each against its own bare run just after it: compare the ratios.
 * BENCH_ROOT=<checkout> in a variant runs that checkout's bot (`git worktree add` the old
 * commit, link its node_modules): old code against new in the same rounds. BENCH_FLAGS='--a --b'
 * in a variant adds node flags to the bot's (V8's heap settings, say).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startPulse } from '../src/app';
import { sign } from '../src/ingest/signature';
import { SlackDouble } from './lib/slack-double';
import { startChild, type BenchChild } from './lib/bench-process';
import { TEXTS, type Card, type LoadResult } from './lib/bench-load';

const QUICK = process.argv.includes('--quick');
const PG = process.argv.includes('--pg');
const ONLY = ((i) => (i >= 0 ? process.argv[i + 1] : undefined))(process.argv.indexOf('--only'));
if (process.argv.includes('--only') && ONLY !== 'burst' && ONLY !== 'card' && ONLY !== 'ingest') throw new Error(`--only takes burst, card or ingest, not ${ONLY ?? 'nothing'}`);
const ROOT = join(__dirname, '..');
/**
 * Clicks: quick measures as many per round as the full bench. With 8 in flight, one pause of
 * the process (a GC, a checkpoint, the scheduler) delays up to 8 answers at once, so the p99
 * of 120 clicks was the second-slowest answer, nearly the maximum of one burst; with 250 it
 * is the same statistic as the full bench's.
 */
const SIZES = QUICK
  ? { rounds: 3, ingest: 400, concurrency: 16, cardSamples: 8, clicks: 250, clickConcurrency: 8, burst: 60, burstWaitS: 20, tickPending: 100_000, tickDue: 2_000 }
  : { rounds: 5, ingest: 2_000, concurrency: 32, cardSamples: 20, clicks: 250, clickConcurrency: 8, burst: 300, burstWaitS: 120, tickPending: 1_000_000, tickDue: 10_000 };
// --only ingest: BENCH_ROUNDS=n for more (or fewer) paired rounds.
if (ONLY === 'ingest' && process.env.BENCH_ROUNDS) SIZES.rounds = Number(process.env.BENCH_ROUNDS);
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
const SIGNING_SECRET = 'bench-signing-secret';
const PG_ADMIN = process.env.TEST_DATABASE_URL ?? process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const AE_TEXT = 'My patient developed a severe rash ten days after starting Zentiva. Stopped it, resolving now.';

let uniq = 0;
const mentionBody = (over: Record<string, unknown> = {}) => {
  const i = ++uniq;
  return JSON.stringify({ source: 'x', id: `bench-${process.pid}-${i}`, url: `https://x.com/dr${i % 500}/status/${i}`, author: { handle: `dr${i % 500}`, name: `Dr. ${i % 500}` }, text: TEXTS[i % TEXTS.length], product: 'Zentiva', ...over });
};

async function postWebhook(base: string, body: string): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/webhooks/mentions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(WEBHOOK_SECRET, ts, body) }, body });
  await res.arrayBuffer();
  return res.status;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const median = (xs: number[]) => pct(xs, 50);

/** Sends `n` requests with `concurrency` in flight; answers accepted/s and latency percentiles. */
async function load(n: number, concurrency: number, send: () => Promise<number>, ok = (s: number) => s === 202 || s === 200) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        const s = performance.now();
        if (!ok(await send())) failures++;
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: n / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), failures };
}

async function databaseUrl(dir: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!PG) return { url: `file:${join(dir, `${name}.db`)}`, drop: async () => undefined };
  const db = `hcp_pulse_bench_${process.pid}_${name}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${db} with (force)`);
  await admin.query(`create database ${db}`);
  await admin.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
    },
  };
}

const env = (slackUrl: string, databaseUrlValue: string, extra: Record<string, string> = {}) => ({
  SLACK_BOT_TOKEN: 'xoxb-bench',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: slackUrl,
  ALERT_CHANNEL_ID: 'C0BENCH',
  PV_CHANNEL_ID: 'C0PVBENCH',
  WEBHOOK_SECRET,
  DATABASE_URL: databaseUrlValue,
  PORT: '0',
  REMINDER_CRON: '0 0 1 1 *',
  LOG_LEVEL: 'silent',
  // An A/B of the classifier's threads: CLASSIFIER_THREADS=0 npm run bench classifies in the main thread.
  ...(process.env.CLASSIFIER_THREADS !== undefined ? { CLASSIFIER_THREADS: process.env.CLASSIFIER_THREADS } : {}),
  ...extra,
});

type Load = LoadResult;

interface Round {
  ingestIdle: Load;
  ingestBacklog: Load;
  bareIngest: Load;
  backlogAtStart: number;
  cardIdleP50: number;
  clickIdle: Load;
  clickBacklog: Load;
  bareBolt: Load;
  /** The bot's CPU time (ms) per click, idle and during the backlog: a shared machine moves latencies more than this. */
  clickIdleCpuMs: number;
  clickBacklogCpuMs: number;
  bareBoltCpuMs: number;
  /** The bot's CPU time (ms) per accepted post, idle and with the backlog (deliveries included); the bare reference's. */
  ingestIdleCpuMs: number;
  /** The same with the classification and cards of the flood's posts that came after their answers. */
  ingestIdleAllCpuMs: number;
  /** From the last 202 until every post of the run was classified and its card queued (ms). */
  openedAfterIdleMs: number;
  openedAfterBacklogMs: number;
  ingestBacklogCpuMs: number;
  bareIngestCpuMs: number;
  /** The bot's process alone, after both ingests. */
  rssMb: number;
  /** process.memoryUsage() of the bot with rssMb: heap against native memory. */
  memory: NodeJS.MemoryUsage;
  bareIngestRssMb: number;
}

/** The load generator, one process for the whole bench (scripts/lib/bench-load.ts). */
let loader: BenchChild;
const webhooks = (port: number, n: number, concurrency: number) => loader.call<Load>('webhooks', { port, n, concurrency });
const clicks = (port: number, n: number, concurrency: number, card: Card) => loader.call<Load>('clicks', { port, n, concurrency, card });

/**
 * The node flags and environment `npm start` gives the bot (package.json's start script: the
 * young generation's size and malloc's arenas, which set much of its RSS), so that the bench's
 * bot runs as users' does.
 */
function startCommand(): { flags: string[]; env: Record<string, string> } {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const m = /^(?:exec\s+)?(?:env((?:\s+[A-Z_][A-Z0-9_]*=\S+)+)\s+)?node((?:\s+--\S+)*)\s+scripts\/run-built\.cjs\s/.exec(start);
  if (!m) throw new Error(`package.json's start script is not "[env VAR=value…] node [--flags] scripts/run-built.cjs …" (the bench starts the bot as it does): ${start}`);
  const env = Object.fromEntries((m[1] ?? '').split(/\s+/).filter(Boolean).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
  return { flags: m[2]!.split(/\s+/).filter(Boolean), env };
}
const { flags: START_FLAGS, env: START_ENV } = startCommand();

/** BENCH_CPU_PROF=<dir>: the bot's processes write V8 CPU profiles there (open in Chrome DevTools). */
const botExecArgv = [...START_FLAGS, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])];

/** The bare references, each in its process for the whole bench, idle while the bot is measured. */
interface References {
  ingest: BenchChild;
  bolt: BenchChild;
}

/**
 * Webhook → card on an idle bot, one at a time, each author in a channel of their own (so
 * Slack's per-channel pacing is not what is measured): the times in ms.
 */
async function idleCards(bot: BenchChild, slack: SlackDouble, r: number): Promise<number[]> {
  const base = `http://127.0.0.1:${bot.ready.port as number}`;
  const cardMs: number[] = [];
  for (let i = 0; i < SIZES.cardSamples; i++) {
    const handle = `idle${r}x${i}`;
    await bot.call('addHcp', { handle, name: `Dr. Idle ${i}`, channel: `C0IDLE${i}` });
    const before = slack.succeeded('chat.postMessage').length;
    const t0 = performance.now();
    if ((await postWebhook(base, mentionBody({ author: { handle, name: `Dr. Idle ${i}` }, text: TEXTS[0] }))) !== 202) throw new Error('idle mention refused');
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length > before, 10_000, 'an idle card');
    cardMs.push(performance.now() - t0);
  }
  return cardMs;
}

/** --only card: webhook → card p50 of a fresh bot per round (warm-up round first), as the rounds measure it. */
async function cardRounds(): Promise<number[]> {
  const slack = await new SlackDouble().start();
  const p50s: number[] = [];
  try {
    for (let r = 0; r <= SIZES.rounds; r++) {
      const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-bench-'));
      const db = await databaseUrl(dir, `card${r}`);
      const bot = await startChild('bench-bot', env(slack.url, db.url), botExecArgv);
      try {
        const ms = await idleCards(bot, slack, r);
        if (r > 0) p50s.push(median(ms));
      } finally {
        await bot.stop();
        await db.drop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await slack.stop();
  }
  return p50s;
}

/** Waits until the bot holds no received mention; the time that took (ms). */
async function allOpened(bot: BenchChild): Promise<number> {
  const t0 = performance.now();
  while ((await bot.call<number>('received')) > 0) {
    if (performance.now() - t0 > 120_000) throw new Error('the bot left posts unclassified for two minutes');
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - t0;
}

async function round(r: number, warmUp: boolean, refs: References, slack: SlackDouble, variant: Record<string, string> = {}): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-bench-'));
  const db = await databaseUrl(dir, `r${r}`);
  let bot: BenchChild | null = null;
  try {
    // A fresh bot and database each round.
    // A variant's BENCH_ROOT runs the bot of another checkout (built there first): old code against new.
    // BENCH_FLAGS in a variant: node flags added after npm start's (space-separated), to compare V8 settings.
    const { BENCH_ROOT: root, BENCH_FLAGS: flags, ...variantEnv } = variant;
    if (root) execFileSync(process.execPath, [join(root, 'scripts', 'run-built.cjs'), '--build-only'], { cwd: root, stdio: 'inherit' });
    bot = await startChild('bench-bot', { ...START_ENV, ...env(slack.url, db.url), ...(process.env.BENCH_SQL_STATS ? { BENCH_SQL_STATS: '1' } : {}), ...(process.env.BENCH_HEAP_SNAPSHOT ? { BENCH_HEAP_SNAPSHOT: process.env.BENCH_HEAP_SNAPSHOT } : {}), ...variantEnv }, [...botExecArgv, ...(flags ? flags.split(' ') : [])], root);
    const port = bot.ready.port as number;
    const n = warmUp ? Math.min(200, SIZES.ingest) : SIZES.ingest;

    const cardMs = await idleCards(bot, slack, r);
    const card = slack.messages.find((m) => m.channel === 'C0IDLE0')!;

    // Each round's bot is a fresh process: its click path is warmed up (not measured) first,
    // with as many clicks as the bare Bolt's process had in the warm-up round before it was
    // measured. Half as many left the bot's JIT colder than the reference's: its first
    // sixty clicks cost 1.5 to 2 times the CPU of later ones (bench profile).
    await clicks(port, SIZES.clicks, SIZES.clickConcurrency, card);
    const cpuMs = () => bot!.call<number>('cpuMs');
    let cpu0 = await cpuMs();
    const clickIdle = await clicks(port, SIZES.clicks, SIZES.clickConcurrency, card);
    const clickIdleCpuMs = ((await cpuMs()) - cpu0) / SIZES.clicks;
    cpu0 = await cpuMs();
    const ingestIdle = await webhooks(port, n, SIZES.concurrency);
    const ingestIdleCpuMs = ((await cpuMs()) - cpu0) / n;
    // A flood's posts are classified and carded after their 202 (src/services/received-queue.ts):
    // how long after the last answer every one was, and the CPU per post with that work counted.
    const openedAfterIdleMs = await allOpened(bot);
    const ingestIdleAllCpuMs = ((await cpuMs()) - cpu0) / n;
    // The idle run left its cards queued in the one alert channel: that is the backlog.
    const backlogAtStart = await bot.call<number>('pendingIn', { channel: 'C0BENCH' });
    cpu0 = await cpuMs();
    const ingestBacklog = await webhooks(port, n, SIZES.concurrency);
    const ingestBacklogCpuMs = ((await cpuMs()) - cpu0) / n;
    const openedAfterBacklogMs = await allOpened(bot);
    cpu0 = await cpuMs();
    const clickBacklog = await clicks(port, SIZES.clicks, SIZES.clickConcurrency, card);
    const clickBacklogCpuMs = ((await cpuMs()) - cpu0) / SIZES.clicks;
    const rssMb = await bot.call<number>('rss');
    const memory = await bot.call<NodeJS.MemoryUsage>('memory');
    await bot.stop();

    // The references in the same round, while the bot is gone.
    const boltCpu0 = await refs.bolt.call<number>('cpuMs');
    const bareBoltRun = await clicks(refs.bolt.ready.port as number, SIZES.clicks, SIZES.clickConcurrency, card);
    const bareBoltCpuMs = ((await refs.bolt.call<number>('cpuMs')) - boltCpu0) / SIZES.clicks;
    const bareCpu0 = await refs.ingest.call<number>('cpuMs');
    const bareRun = await webhooks(refs.ingest.ready.port as number, n, SIZES.concurrency);
    const bareIngestCpuMs = ((await refs.ingest.call<number>('cpuMs')) - bareCpu0) / n;
    const bareIngestRssMb = await refs.ingest.call<number>('rss');
    return {
      ingestIdle,
      ingestBacklog,
      bareIngest: bareRun,
      backlogAtStart,
      cardIdleP50: median(cardMs),
      clickIdle,
      clickBacklog,
      bareBolt: bareBoltRun,
      clickIdleCpuMs,
      clickBacklogCpuMs,
      bareBoltCpuMs,
      ingestIdleCpuMs,
      ingestIdleAllCpuMs,
      openedAfterIdleMs,
      openedAfterBacklogMs,
      ingestBacklogCpuMs,
      bareIngestCpuMs,
      rssMb,
      memory,
      bareIngestRssMb,
    };
  } finally {
    await bot?.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BENCH_VARIANTS='A=1;A=0': the bot's environments to compare (one empty variant without it). */
const VARIANTS: Record<string, string>[] = (process.env.BENCH_VARIANTS ?? '').split(';').map((v) =>
  Object.fromEntries(
    v
      .split(',')
      .map((kv) => kv.trim())
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ),
);

/**
 * The measured rounds, each with its references; every process is stopped at the end. Each
 * round runs one bot per variant (in alternating order from round to round), each followed by
 * the references: `out[variant][round]`.
 */
async function rounds(variants: Record<string, string>[] = [{}]): Promise<Round[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-bench-'));
  const slack = await new SlackDouble().start();
  const bareDb = PG ? await databaseUrl(dir, 'bare') : null;
  const started: BenchChild[] = [];
  const start = async (name: string, e: Record<string, string>) => {
    const c = await startChild(name, e);
    started.push(c);
    return c;
  };
  try {
    loader = await start('bench-load', { WEBHOOK_SECRET, SLACK_SIGNING_SECRET: SIGNING_SECRET });
    const refs: References = {
      ingest: await start('bench-bare', { WEBHOOK_SECRET, BENCH_BARE: 'ingest', BENCH_DIR: dir, ...(bareDb ? { BENCH_PG_URL: bareDb.url } : {}) }),
      bolt: await start('bench-bare', { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.url, BENCH_BARE: 'bolt' }),
    };
    await round(0, true, refs, slack, variants[0]);
    const out: Round[][] = variants.map(() => []);
    for (let r = 1; r <= SIZES.rounds; r++) {
      const order = variants.map((_, i) => i);
      if (r % 2 === 0) order.reverse();
      for (const i of order) {
        const res = await round(r * 10 + i, false, refs, slack, variants[i]);
        out[i]!.push(res);
        if (ONLY === 'ingest') process.stdout.write(`  round ${r} variant ${i}: idle ${res.ingestIdle.perSecond.toFixed(0)}/s p99 ${res.ingestIdle.p99.toFixed(1)}, backlog ${res.ingestBacklog.perSecond.toFixed(0)}/s p99 ${res.ingestBacklog.p99.toFixed(1)}, bare ${res.bareIngest.perSecond.toFixed(0)}/s; ratios ${(res.ingestIdle.perSecond / res.bareIngest.perSecond).toFixed(2)} / ${(res.ingestBacklog.perSecond / res.bareIngest.perSecond).toFixed(2)}; cpu/post ${res.ingestIdleCpuMs.toFixed(2)} / ${res.ingestBacklogCpuMs.toFixed(2)} ms (with classification ${res.ingestIdleAllCpuMs.toFixed(2)}; bare ${res.bareIngestCpuMs.toFixed(2)}); all opened after ${res.openedAfterIdleMs.toFixed(0)} / ${res.openedAfterBacklogMs.toFixed(0)} ms; click idle p99 ${res.clickIdle.p99.toFixed(1)} (bare ${res.bareBolt.p99.toFixed(1)}); rss ${res.rssMb.toFixed(0)} MB (heap ${(res.memory.heapUsed / 2 ** 20).toFixed(0)}/${(res.memory.heapTotal / 2 ** 20).toFixed(0)}, external ${(res.memory.external / 2 ** 20).toFixed(0)}, buffers ${(res.memory.arrayBuffers / 2 ** 20).toFixed(0)})\n`);
      }
      process.stdout.write(`  round ${r} done\n`);
    }
    return out;
  } finally {
    for (const c of started) await c.stop();
    await slack.stop();
    await bareDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The mention a card's message metadata names (the bot's own; null for any other message). */
const mentionIdOf = (metadata: unknown): number | null => {
  const id = (metadata as { event_payload?: { mention_id?: unknown } } | undefined)?.event_payload?.mention_id;
  return typeof id === 'number' ? id : null;
};

/**
 * A burst to one channel with Slack's per-channel limit on: when is every post visible, and each
 * adverse event's card. `perSecond` null: all at once (8 at a time, as fast as the bot answers);
 * else the posts arrive at that rate, as a viral thread's do over a minute or two, and each post's
 * time to visible is read from its own arrival.
 */
async function burst(perSecond: number | null = null): Promise<{
  posts: number;
  perSecond: number | null;
  visibleAll: number | null;
  visibleAt30s: number;
  visibleLagP50: number | null;
  visibleLagMax: number | null;
  aeCardP50: number | null;
  aeCardMax: number | null;
  aeWithoutCard: number;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-burst-'));
  const slack = await new SlackDouble().start();
  slack.channelIntervalMs = 1000;
  const db = await databaseUrl(dir, 'burst');
  const pulse = await startPulse(loadConfig(env(slack.url, db.url, { PV_CHANNEL_ID: '' })), { logger: pino({ level: 'silent' }) });
  const base = `http://127.0.0.1:${pulse.port}`;
  try {
    // A post is visible when its own card (the message whose metadata names its mention), or
    // its line in a roll-up's thread (block rollup_item:<mention id>, in a reply in this channel
    // refreshed in place as the burst grows), is in the channel. Not when a link to it is: a
    // card's "View last post" links its author's previous post, which in this burst (50
    // authors) is often one still queued, so counting any mention of its URL had a post
    // "visible" before its card was posted.
    const visible = () => {
      const ids = new Set<number>();
      for (const m of slack.messages) {
        if (m.channel !== 'C0BENCH') continue;
        const own = mentionIdOf(m.metadata);
        if (!m.thread_ts && own !== null) ids.add(own);
        for (const b of (m.blocks as { block_id?: string }[] | undefined) ?? []) {
          const line = /^rollup_item:(\d+)$/.exec(b.block_id ?? '');
          if (line) ids.add(Number(line[1]));
        }
      }
      return ids;
    };
    const sentAt = new Map<string, number>();
    const ae = new Set<string>();
    const t0 = performance.now();
    const send = () => {
      const i = ++uniq;
      const id = `burst-${process.pid}-${i}`;
      const isAe = i % 10 === 0;
      if (isAe) ae.add(id);
      sentAt.set(id, performance.now());
      return postWebhook(base, JSON.stringify({ source: 'x', id, url: `https://x.com/dr${i}/status/${id}`, author: { handle: `dr${i % 50}` }, text: isAe ? AE_TEXT : TEXTS[i % TEXTS.length], product: 'Zentiva' }));
    };
    // When each mention was first seen visible (by mention id), polled while posts arrive too.
    const seenAt = new Map<number, number>();
    let visibleAll: number | null = null;
    let visibleAt30s = 0;
    let arriving = true;
    if (perSecond === null) await load(SIZES.burst, 8, send);
    else {
      const sends: Promise<number>[] = [];
      const poller = (async () => {
        while (arriving) {
          const now = performance.now();
          const v = visible();
          for (const id of v) if (!seenAt.has(id)) seenAt.set(id, now);
          if (now - t0 <= 30_000) visibleAt30s = v.size;
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      for (let k = 0; k < SIZES.burst; k++) {
        const due = t0 + (k * 1000) / perSecond;
        if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
        sends.push(send());
      }
      const answers = await Promise.all(sends);
      arriving = false;
      await poller;
      const refused = answers.filter((a) => a !== 202).length;
      if (refused) throw new Error(`the paced burst had ${refused} posts not accepted`);
    }
    const deadline = performance.now() + SIZES.burstWaitS * 1000;
    while (performance.now() < deadline) {
      const v = visible();
      const now = performance.now();
      for (const id of v) if (!seenAt.has(id)) seenAt.set(id, now);
      if (now - t0 <= 30_000) visibleAt30s = v.size;
      if (v.size >= SIZES.burst) {
        visibleAll = (performance.now() - t0) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const aeTimes: number[] = [];
    const all = await pulse.ctx.db.kysely.selectFrom('mentions').select(['id', 'external_id']).where('external_id', 'in', [...sentAt.keys()]).execute();
    const lags = all.filter((m) => seenAt.has(m.id)).map((m) => seenAt.get(m.id)! - sentAt.get(m.external_id)!);
    const aeMentions = all.filter((m) => ae.has(m.external_id));
    for (const { id, external_id: externalId } of aeMentions) {
      const call = slack.succeeded('chat.postMessage').find((c) => c.args.channel === 'C0BENCH' && !c.args.thread_ts && mentionIdOf(c.args.metadata) === id);
      if (call) aeTimes.push(call.at - (performance.timeOrigin + sentAt.get(externalId)!));
    }
    return {
      posts: SIZES.burst,
      perSecond,
      visibleAll,
      visibleLagP50: lags.length === SIZES.burst ? median(lags) / 1000 : null,
      visibleLagMax: lags.length === SIZES.burst ? Math.max(...lags) / 1000 : null,
      visibleAt30s,
      aeCardP50: aeTimes.length ? median(aeTimes) / 1000 : null,
      aeCardMax: aeTimes.length ? Math.max(...aeTimes) / 1000 : null,
      aeWithoutCard: ae.size - aeTimes.length,
    };
  } finally {
    await pulse.stop();
    await slack.stop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The reminder tick, in its own process (it seeds a large database). */
function tick(): { claimMs: number; maxStallMs: number } | null {
  if (PG) return null;
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'bench-tick.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_PENDING: String(SIZES.tickPending), BENCH_DUE: String(SIZES.tickDue) },
    encoding: 'utf8',
  });
  const claim = /claimed [\d,]+ due reminders in \d+ batches: (\d+) ms/.exec(out);
  const stall = /event loop delay during the tick: max ([\d.]+) ms/.exec(out);
  return claim && stall ? { claimMs: Number(claim[1]), maxStallMs: Number(stall[1]) } : null;
}

/** `npm start` (compiled, built once) to /healthz 200, as a restart: the build is already there. */
async function startUp(): Promise<number[]> {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-start-'));
  const times: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const t0 = performance.now();
      const child = spawn(process.execPath, [...START_FLAGS, join(ROOT, 'scripts', 'run-built.cjs'), 'src/index'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...START_ENV, ...env(slack.url, `file:${join(dir, 'start.db')}`, { PORT: String(port) }) },
        stdio: 'ignore',
      });
      try {
        for (;;) {
          if (performance.now() - t0 > 30_000) throw new Error('the bot did not answer /healthz within 30 s');
          const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
          if (ok) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        times.push(performance.now() - t0);
      } finally {
        child.kill('SIGTERM');
        // A child that already exited (it failed to start, say) emits no second 'exit': waiting
        // for one hung the bench after its rounds.
        if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
      }
    }
  } finally {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

const spread = (xs: number[]) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const fmt = (s: { median: number; min: number; max: number }, digits = 0) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

/** --only: one figure, printed, nothing written. */
async function only(what: 'burst' | 'card' | 'ingest'): Promise<void> {
  if (what === 'ingest') {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-built.cjs'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });
    const all = await rounds(VARIANTS);
    all.forEach((measured, i) => {
      const of = (f: (r: Round) => number, digits = 0) => fmt(spread(measured.map(f)), digits);
      console.log(`variant ${i} ${JSON.stringify(VARIANTS[i])}`);
      console.log(`  ingest idle/s ${of((r) => r.ingestIdle.perSecond)} p99 ${of((r) => r.ingestIdle.p99, 1)}; backlog/s ${of((r) => r.ingestBacklog.perSecond)} p99 ${of((r) => r.ingestBacklog.p99, 1)}; bare/s ${of((r) => r.bareIngest.perSecond)}`);
      console.log(`  opened after the last 202, ms: idle ${of((r) => r.openedAfterIdleMs)}; backlog ${of((r) => r.openedAfterBacklogMs)}; CPU ms/post idle with classification ${of((r) => r.ingestIdleAllCpuMs, 2)}`);
      console.log(`  CPU ms/post idle ${of((r) => r.ingestIdleCpuMs, 2)}; backlog ${of((r) => r.ingestBacklogCpuMs, 2)}; bare ${of((r) => r.bareIngestCpuMs, 2)}`);
      console.log(`  ratio idle ${of((r) => r.ingestIdle.perSecond / r.bareIngest.perSecond, 2)}; backlog ${of((r) => r.ingestBacklog.perSecond / r.bareIngest.perSecond, 2)}; click idle/bare p99 ${of((r) => r.clickIdle.p99 / r.bareBolt.p99, 2)}; rss ${of((r) => r.rssMb)} MB`);
    });
    console.log(JSON.stringify({ variants: VARIANTS, rounds: all }));
    return;
  }
  if (what === 'burst') {
    // The burst runs the bot in this process (no build needed).
    const b = await burst();
    const paced = await burst(PACED_PER_SECOND);
    console.log([...burstRows(b), ...burstRows(paced)].map(([a, v, target]) => `${a} | ${v} | ${target}`).join('\n'));
    console.log(JSON.stringify({ burst: b, burstPaced: paced }));
    return;
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-built.cjs'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  const p50s = await cardRounds();
  console.log(`webhook → card, idle, p50 (ms) | ${fmt(spread(p50s), 1)} | ≤ 50`);
  console.log(JSON.stringify({ cardIdleP50Ms: p50s }));
}

type BurstResult = Awaited<ReturnType<typeof burst>>;
const burstRows = (b: BurstResult): [string, string, string][] =>
  b.perSecond === null
    ? [
        [`burst of ${b.posts} to one channel: all visible (s)`, b.visibleAll === null ? `not within ${SIZES.burstWaitS} s` : b.visibleAll.toFixed(1), '≤ 30'],
        [`burst: posts visible after 30 s`, String(b.visibleAt30s), `${b.posts}`],
        ['burst: adverse-event cards, p50 / max (s)', b.aeCardP50 === null ? 'none' : `${b.aeCardP50.toFixed(1)} / ${b.aeCardMax!.toFixed(1)} (${b.aeWithoutCard} without a card)`, 'p50 ≤ 2'],
      ]
    : [
        [
          `burst of ${b.posts} arriving at ${b.perSecond}/s: each post visible after its arrival, p50 / max (s)`,
          b.visibleLagP50 === null ? `not all within ${SIZES.burstWaitS} s` : `${b.visibleLagP50.toFixed(1)} / ${b.visibleLagMax!.toFixed(1)}`,
          'reference (max ≤ 30)',
        ],
        [`burst at ${b.perSecond}/s: adverse-event cards after arrival, p50 / max (s)`, b.aeCardP50 === null ? 'none' : `${b.aeCardP50.toFixed(1)} / ${b.aeCardMax!.toFixed(1)} (${b.aeWithoutCard} without a card)`, 'reference (p50 ≤ 2)'],
      ];

/** A viral thread's pace: 300 posts in a minute (the quick bench: 60 in twelve seconds). */
const PACED_PER_SECOND = 5;

async function main(): Promise<void> {
  if (ONLY === 'burst' || ONLY === 'card' || ONLY === 'ingest') return only(ONLY);
  const started = Date.now();
  console.log(`HCP Pulse bench (${QUICK ? 'quick' : 'full'}, ${PG ? 'PostgreSQL' : 'SQLite'}): warm-up, then ${SIZES.rounds} rounds`);
  // The bench's processes run compiled code, as `npm start` does: build once, first.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-built.cjs'), '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  const phase = (name: string, t0: number) => process.stdout.write(`  ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  let t0 = performance.now();
  const measured = (await rounds())[0]!;
  phase('rounds', t0);
  t0 = performance.now();
  const b = await burst();
  phase('burst', t0);
  t0 = performance.now();
  const paced = await burst(PACED_PER_SECOND);
  phase('paced burst', t0);
  t0 = performance.now();
  const t = tick();
  phase('reminder tick', t0);
  t0 = performance.now();
  const start = await startUp();
  phase('restart', t0);

  const of = (f: (r: Round) => number) => spread(measured.map(f));
  const results = {
    machine: { cpus: (await import('node:os')).cpus().length, load: (await import('node:os')).loadavg()[0], node: process.version },
    database: PG ? 'postgres' : 'sqlite',
    quick: QUICK,
    sizes: SIZES,
    ingestIdlePerS: of((r) => r.ingestIdle.perSecond),
    ingestIdleP99Ms: of((r) => r.ingestIdle.p99),
    ingestBacklogPerS: of((r) => r.ingestBacklog.perSecond),
    ingestBacklogP99Ms: of((r) => r.ingestBacklog.p99),
    backlogCards: of((r) => r.backlogAtStart),
    bareIngestPerS: of((r) => r.bareIngest.perSecond),
    bareIngestP99Ms: of((r) => r.bareIngest.p99),
    openedAfterIdleMs: of((r) => r.openedAfterIdleMs),
    openedAfterBacklogMs: of((r) => r.openedAfterBacklogMs),
    ingestIdleCpuMs: of((r) => r.ingestIdleCpuMs),
    ingestIdleAllCpuMs: of((r) => r.ingestIdleAllCpuMs),
    ingestIdleRatio: of((r) => r.ingestIdle.perSecond / r.bareIngest.perSecond),
    ingestBacklogRatio: of((r) => r.ingestBacklog.perSecond / r.bareIngest.perSecond),
    cardIdleP50Ms: of((r) => r.cardIdleP50),
    clickIdleP99Ms: of((r) => r.clickIdle.p99),
    clickBacklogP99Ms: of((r) => r.clickBacklog.p99),
    bareBoltP99Ms: of((r) => r.bareBolt.p99),
    clickIdleRatio: of((r) => r.clickIdle.p99 / r.bareBolt.p99),
    clickBacklogRatio: of((r) => r.clickBacklog.p99 / r.bareBolt.p99),
    clickIdleCpuMs: of((r) => r.clickIdleCpuMs),
    clickBacklogCpuMs: of((r) => r.clickBacklogCpuMs),
    bareBoltCpuMs: of((r) => r.bareBoltCpuMs),
    rssMb: of((r) => r.rssMb),
    bareIngestRssMb: of((r) => r.bareIngestRssMb),
    failures: measured.reduce((n, r) => n + r.ingestIdle.failures + r.ingestBacklog.failures + r.clickIdle.failures + r.clickBacklog.failures, 0),
    burst: b,
    burstPaced: paced,
    tick: t,
    restartMs: spread(start),
    seconds: (Date.now() - started) / 1000,
  };

  const rows: [string, string, string][] = [
    ['ingest, idle (accepted/s)', fmt(results.ingestIdlePerS), '≥ 1,500 and ≥ 0.6 × bare'],
    ['ingest, idle: p99 (ms)', fmt(results.ingestIdleP99Ms, 1), '≤ 50'],
    [`ingest, backlog of ~${Math.round(results.backlogCards.median)} cards in one channel (accepted/s)`, fmt(results.ingestBacklogPerS), '≥ 1,500 and ≥ 0.6 × bare'],
    ['ingest, backlog: p99 (ms)', fmt(results.ingestBacklogP99Ms, 1), '≤ 50'],
    ['bare node:http + HMAC + one insert (accepted/s)', fmt(results.bareIngestPerS), 'reference'],
    ['bare: p99 (ms)', fmt(results.bareIngestP99Ms, 1), 'reference'],
    ['ingest idle / bare', fmt(results.ingestIdleRatio, 2), '≥ 0.6'],
    ['ingest, idle: every post classified and carded, after the last 202 (ms)', fmt(results.openedAfterIdleMs), 'reference'],
    ['ingest, backlog: every post classified and carded, after the last 202 (ms)', fmt(results.openedAfterBacklogMs), 'reference'],
    ['CPU per post, idle: until the 202 / with its classification and card (ms)', `${fmt(results.ingestIdleCpuMs, 2)} / ${fmt(results.ingestIdleAllCpuMs, 2)}`, 'reference'],
    ['ingest backlog / bare', fmt(results.ingestBacklogRatio, 2), '≥ 0.6'],
    ['webhook → card, idle, p50 (ms)', fmt(results.cardIdleP50Ms, 1), '≤ 50'],
    ['click ack, idle, p99 (ms)', fmt(results.clickIdleP99Ms, 1), '≤ 50 and ≤ 1.5 × bare Bolt'],
    ['click ack, backlog, p99 (ms)', fmt(results.clickBacklogP99Ms, 1), '≤ 50 and ≤ 1.5 × bare Bolt'],
    ['bare Bolt ack, p99 (ms)', fmt(results.bareBoltP99Ms, 1), 'reference'],
    ['click idle / bare Bolt (p99)', fmt(results.clickIdleRatio, 2), '≤ 1.5'],
    ['click backlog / bare Bolt (p99)', fmt(results.clickBacklogRatio, 2), '≤ 1.5'],
    ["CPU per click: the bot idle / backlog; bare Bolt (ms)", `${fmt(results.clickIdleCpuMs, 2)} / ${fmt(results.clickBacklogCpuMs, 2)}; ${fmt(results.bareBoltCpuMs, 2)}`, 'reference'],
    ...burstRows(b),
    ...burstRows(paced),
    [`reminder tick ${SIZES.tickPending.toLocaleString()} pending / ${SIZES.tickDue.toLocaleString()} due: claim (ms) / max stall (ms)`, t ? `${t.claimMs} / ${t.maxStallMs.toFixed(1)}` : 'SQLite only', '≤ 2,000 / ≤ 50'],
    ["RSS of the bot's process after the ingests (MB)", fmt(results.rssMb), '≤ 150'],
    ["RSS of the bare reference's process (MB)", fmt(results.bareIngestRssMb), 'reference'],
    ['restart to /healthz 200 (ms)', fmt(results.restartMs), '≤ 1,500'],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'figure'.padEnd(w)} | median (min-max) | target`);
  for (const [a, v, target] of rows) console.log(`${a.padEnd(w)} | ${v} | ${target}`);
  console.log(`\nmachine: ${results.machine.cpus} CPUs, load ${(results.machine.load ?? 0).toFixed(1)}, Node ${results.machine.node}; ${results.seconds.toFixed(0)} s`);
  // README's performance section is generated from this (npm run docs:numbers).
  const markdown = [
    `Measured with \`npm run bench${QUICK ? ' -- --quick' : ''}${PG ? ' -- --pg' : ''}\` on ${PG ? 'PostgreSQL' : 'SQLite'}: a ${results.machine.cpus}-core machine shared with other work (load ${(results.machine.load ?? 0).toFixed(1)} at the end), Node ${results.machine.node}. The bot, each bare reference and the load generator ran each in a process of its own (the Slack double in the bench's), one server at a time beside the load generator. Median of ${SIZES.rounds} rounds after a warm-up, (min-max) across rounds; the references ran in the same rounds.`,
    '',
    '| figure | median (min-max) | target |',
    '| --- | --- | --- |',
    ...rows.map(([a, v, target]) => `| ${a} | ${v} | ${target} |`),
  ].join('\n');
  const json = JSON.stringify({ ...results, markdown });
  console.log(json);
  writeFileSync(join(ROOT, PG ? 'bench-results-pg.json' : 'bench-results.json'), `${json}\n`);

  // CI: a same-run ratio below a quarter of its target fails, so a tenfold regression cannot land.
  const problems: string[] = [];
  if (results.failures > 0) problems.push(`${results.failures} requests were not accepted`);
  if (results.ingestIdleRatio.median < 0.6 / 4) problems.push(`ingest idle is ${results.ingestIdleRatio.median.toFixed(2)} × bare (a quarter of the target is 0.15)`);
  if (results.ingestBacklogRatio.median < 0.6 / 4) problems.push(`ingest with a backlog is ${results.ingestBacklogRatio.median.toFixed(2)} × bare (a quarter of the target is 0.15)`);
  if (results.clickIdleRatio.median > 1.5 * 4) problems.push(`click ack p99 is ${results.clickIdleRatio.median.toFixed(1)} × bare Bolt (a quarter of the target is 6 ×)`);
  if (results.clickBacklogRatio.median > 1.5 * 4) problems.push(`click ack during the backlog is ${results.clickBacklogRatio.median.toFixed(1)} × bare Bolt (a quarter of the target is 6 ×)`);
  if (problems.length) {
    console.error(`bench: below a quarter of target:\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
