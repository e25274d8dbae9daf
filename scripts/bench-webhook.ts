/**
 * Part of npm run bench: the webhook under load. Runs the real app (SQLite file, local Slack
 * double) and sends BENCH_MENTIONS signed mentions (default 2,000) with BENCH_CONCURRENCY
 * requests in flight (default 16); prints the 202 latency, throughput, the time from a 202
 * to its card in Slack on an idle bot, and memory. Traffic stays on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startPulse } from '../src/app';
import { sign } from '../src/ingest/signature';
import { SlackDouble } from './lib/slack-double';

const N = Number(process.env.BENCH_MENTIONS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECRET = 'bench-webhook-secret-0123456789';
const TEXTS = [
  'Switched two of my patients to Zentiva this month. Really impressed with how well it is tolerated.',
  'Prior auth denied again for Zentiva. Third patient this month. Exhausting.',
  'Anyone using Zentiva in CKD stage 4? Curious what dosing you landed on.',
  'My patient developed a rash ten days after starting Zentiva. Stopped it, resolving now.',
];

async function post(base: string, body: string): Promise<number> {
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/webhooks/mentions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(SECRET, ts, body) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

const body = (i: number) =>
  JSON.stringify({ source: 'x', id: `bench-${i}`, url: `https://x.com/dr${i % 500}/status/${i}`, author: { handle: `dr${i % 500}`, name: `Dr. ${i % 500}` }, text: TEXTS[i % TEXTS.length], product: 'Zentiva' });

async function main(): Promise<void> {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-bench-'));
  const pulse = await startPulse(
    loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: 'bench', SLACK_API_URL: slack.url, ALERT_CHANNEL_ID: 'C0BENCH', WEBHOOK_SECRET: SECRET, DATABASE_URL: `file:${join(dir, 'bench.db')}`, PORT: '0', REMINDER_CRON: '0 0 1 1 *' }),
    { logger: pino({ level: 'silent' }) },
  );
  const base = `http://127.0.0.1:${pulse.port}`;
  try {
    // An idle bot: from 202 to the card in Slack.
    const t0 = performance.now();
    const first = await post(base, body(N + 1));
    if (first !== 202) throw new Error(`the first mention was answered ${first}`);
    const accepted = performance.now();
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length === 1, 5000, 'the first card');
    const cardMs = performance.now() - accepted;

    const latencies: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) {
          const i = next++;
          const s = performance.now();
          if ((await post(base, body(i))) !== 202) failures++;
          latencies.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
    console.log(`webhook: ${N} mentions, ${CONCURRENCY} in flight: ${(N / seconds).toFixed(0)} accepted per second; 202 latency p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; ${failures} not 202`);
    console.log(`idle bot: 202 in ${(accepted - t0).toFixed(1)} ms, card in Slack ${cardMs.toFixed(1)} ms after the 202`);
    console.log(`resident memory after the run: ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB (bot, Slack double and load generator in one process)`);
    if (failures) process.exitCode = 1;
  } finally {
    await pulse.stop();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
