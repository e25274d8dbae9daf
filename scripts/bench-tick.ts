/**
 * npm run bench:tick: the reminder scheduler under load. Seeds a fresh SQLite database with
 * 1,000,000 pending reminders (due later) and 10,000 due ones, runs one real scheduler tick,
 * and prints the time to claim every due reminder and the event loop's longest stall.
 * BENCH_PENDING / BENCH_DUE change the sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { WebClient } from '@slack/web-api';
import { loadConfig } from '../src/config';
import { createMetrics } from '../src/metrics';
import { openDatabase } from '../src/store/db';
import { outboxStats } from '../src/store/outbox';
import { ReceivedQueue } from '../src/services/received-queue';
import { ReminderScheduler } from '../src/scheduler/reminder-scheduler';
import { startClassifierPool } from '../src/services/classifier-pool';
import { DEFAULT_TEMPLATES_FILE, loadEmailTemplates } from '../src/services/email-templates';
import type { ServiceContext } from '../src/services/context';

const PENDING = Number(process.env.BENCH_PENDING ?? 1_000_000);
const DUE = Number(process.env.BENCH_DUE ?? 10_000);
const MENTIONS = 10_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-bench-'));
  const file = join(dir, 'bench.db');
  try {
    const db = await openDatabase(`file:${file}`);
    const seedStarted = performance.now();
    seed(file);
    console.log(`seeded ${MENTIONS.toLocaleString()} mentions, ${PENDING.toLocaleString()} pending and ${DUE.toLocaleString()} due reminders in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench',
      ALERT_CHANNEL_ID: 'C0BENCH',
      DATABASE_URL: `file:${file}`,
      WORK_HOURS: 'always',
      LOG_LEVEL: 'silent',
    });
    const ctx: ServiceContext = {
      db,
      config,
      logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }),
      metrics: createMetrics(),
      now: () => new Date(),
      kickOutbox: () => undefined,
      emailTemplates: loadEmailTemplates(DEFAULT_TEMPLATES_FILE),
      // The tick classifies nothing: no worker thread.
      classifier: startClassifierPool(0, pino({ level: 'silent' })),
      // The tick receives no post: a queue that is never started nor given one.
      received: new ReceivedQueue({ db, logger: pino({ level: 'silent' }), now: () => new Date() }, async () => 0),
    };
    // No Slack call is made: every recipient here is an alert thread (no time-zone look-up).
    const scheduler = new ReminderScheduler(ctx, new WebClient('xoxb-bench', { slackApiUrl: 'http://127.0.0.1:9/api/' }));

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const started = performance.now();
    const result = await scheduler.tick();
    const elapsed = performance.now() - started;
    loop.disable();

    // No worker runs here: every entry the tick queued is still pending.
    const outbox = { n: (await outboxStats(db.kysely, new Date())).depth };
    const rss = process.memoryUsage().rss / 1024 / 1024;
    console.log(`claimed ${result.queued.toLocaleString()} due reminders in ${result.batches} batches: ${elapsed.toFixed(0)} ms (${((result.queued / elapsed) * 1000).toFixed(0)} per second)`);
    console.log(`outbox entries queued: ${Number(outbox.n).toLocaleString()}`);
    console.log(`event loop delay during the tick: max ${(loop.max / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, mean ${(loop.mean / 1e6).toFixed(2)} ms`);
    console.log(`resident memory: ${rss.toFixed(0)} MiB`);
    if (result.queued !== DUE || Number(outbox.n) !== DUE) {
      console.error(`expected ${DUE} claimed and queued`);
      process.exitCode = 1;
    }
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bulk seeding straight through better-sqlite3: one transaction, prepared statements. */
function seed(file: string): void {
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = OFF');
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();
  const insertMention = sqlite.prepare(
    `insert into mentions (source, external_id, author_handle, text, text_from_reporter, posted_at, received_at, via, sentiment, sentiment_score,
       sentiment_cues, adverse_event, adverse_event_cues, status, alert_channel, alert_ts, version, updated_at)
     values ('x', ?, ?, 'Bench post about Zentiva.', 0, ?, ?, 'webhook', 'negative', -0.5, '[]', 0, '{}', 'open', 'C0BENCH', ?, 1, ?)`,
  );
  const insertReminder = sqlite.prepare(
    `insert into reminders (mention_id, kind, due_at, status, instruction, attempts, created_at, updated_at)
     values (?, 'follow_up', ?, 'pending', 'Check in again.', 0, ?, ?)`,
  );
  sqlite.transaction(() => {
    for (let i = 1; i <= MENTIONS; i++) insertMention.run(`bench-${i}`, `hcp${i}`, iso(now - 30 * 86_400_000), iso(now), `1800000000.${String(i).padStart(6, '0')}`, iso(now));
    for (let i = 0; i < PENDING; i++) insertReminder.run((i % MENTIONS) + 1, iso(now + 3_600_000 + (i % 365) * 86_400_000), iso(now), iso(now));
    for (let i = 0; i < DUE; i++) insertReminder.run((i % MENTIONS) + 1, iso(now - 60_000 - i * 1000), iso(now), iso(now));
  })();
  // Flush the seed to disk now, so the measured tick does not pay for the seeding's writes.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
