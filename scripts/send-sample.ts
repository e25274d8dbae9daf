/**
 * npm run send-sample -- [positive|neutral|negative|adverse] [--url http://localhost:3000]
 * Sends a signed sample mention to a running bot, as a social-listening tool would.
 * Reads WEBHOOK_SECRET and PORT from the environment or .env. A fresh id each run, so the
 * card is posted every time (send the same id twice to see deduplication).
 */
import { existsSync } from 'node:fs';
import { sign } from '../src/ingest/signature';
import { SAMPLES, type SampleName } from './lib/samples';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = process.argv.slice(2);
  const urlFlag = args.indexOf('--url');
  const base = urlFlag >= 0 ? args[urlFlag + 1] : `http://localhost:${process.env.PORT || 3000}`;
  const name = (args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--url') ?? 'negative') as SampleName;
  if (!(name in SAMPLES)) {
    console.error(`Unknown sample "${name}": use one of ${Object.keys(SAMPLES).join(', ')}.`);
    return 2;
  }
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('WEBHOOK_SECRET is not set (in the environment or .env): the bot only opens the webhook when it is.');
    return 2;
  }
  const body = JSON.stringify({ ...SAMPLES[name], id: `${SAMPLES[name].id}-${Date.now()}`, postedAt: new Date().toISOString() });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/webhooks/mentions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(secret, ts, body) },
    body,
  });
  console.log(`${res.status} ${await res.text()}`);
  return res.status === 202 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`Could not reach the bot: ${err instanceof Error ? err.message : String(err)}. Is it running (npm start)?`);
    process.exit(1);
  },
);
