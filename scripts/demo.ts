/**
 * npm run demo: see what the channel will show, without a Slack workspace.
 * Starts the bot against the local Slack Web API double, sends a few sample mentions through
 * the signed webhook, and prints each card as text plus a Block Kit Builder link.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startPulse } from '../src/app';
import { sign } from '../src/ingest/signature';
import { SlackDouble } from './lib/slack-double';
import { SAMPLES } from './lib/samples';
import { renderAsText } from './lib/render-text';

async function main(): Promise<void> {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-demo-'));
  const secret = 'demo-webhook-secret-0123456789';
  const pulse = await startPulse(
    loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-demo',
      SLACK_SIGNING_SECRET: 'demo',
      SLACK_API_URL: slack.url,
      ALERT_CHANNEL_ID: 'C0ALERTS',
      PV_CHANNEL_ID: 'C0PHARMACOVIG',
      WEBHOOK_SECRET: secret,
      DATABASE_URL: `file:${join(dir, 'demo.db')}`,
      PORT: '0',
    }),
    { logger: pino({ level: 'silent' }) },
  );
  try {
    for (const sample of Object.values(SAMPLES)) {
      const body = JSON.stringify({ ...sample, postedAt: new Date().toISOString() });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${pulse.port}/webhooks/mentions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(secret, ts, body) },
        body,
      });
      console.log(`POST /webhooks/mentions (${sample.author.name}) → ${res.status} ${await res.text()}`);
    }
    const expected = Object.keys(SAMPLES).length + 1; // the adverse event also goes to PV
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= expected, 15_000, 'the demo cards');
    for (const call of slack.succeeded('chat.postMessage')) {
      const blocks = call.args.blocks as unknown[];
      console.log(`\n${'─'.repeat(78)}\n#${String(call.args.channel)}\n${'─'.repeat(78)}`);
      console.log(renderAsText(blocks));
      console.log(`\nBlock Kit Builder: https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks }))}`);
    }
  } finally {
    await pulse.stop();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
