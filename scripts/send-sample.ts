/**
 * npm run send-sample -- [positive|neutral|negative|adverse] [--id ID] [--file body.json]
 *                        [--mapping NAME] [--url http://localhost:3000]
 * Sends a mention to a running bot, as a social-listening tool would: a sample (a fresh id
 * each run, or --id to reuse one and see deduplication), or any JSON body from a file, as it
 * is. Signs with WEBHOOK_SECRET, else sends WEBHOOK_TOKEN as a bearer token (environment or .env).
 */
import { existsSync, readFileSync } from 'node:fs';
import { sign } from '../src/ingest/signature';
import { SAMPLES, type SampleName } from './lib/samples';

const FLAGS = ['--url', '--id', '--file', '--mapping'];

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  for (const name of FLAGS) {
    if (args.includes(name) && (flag(name) === undefined || flag(name)!.startsWith('--'))) {
      console.error(`${name} needs a value.`);
      return 2;
    }
  }
  const unknown = args.find((a) => a.startsWith('--') && !FLAGS.includes(a));
  if (unknown) {
    console.error(`Unknown option ${unknown}: use ${FLAGS.join(', ')}.`);
    return 2;
  }
  const base = flag('--url') ?? `http://localhost:${process.env.PORT || 3000}`;
  const name = (args.find((a, i) => !a.startsWith('--') && !FLAGS.includes(args[i - 1] ?? '')) ?? 'negative') as SampleName;
  const file = flag('--file');

  let body: string;
  if (file) {
    if (!existsSync(file)) {
      console.error(`No file ${file}.`);
      return 2;
    }
    // Sent byte for byte as written, so the same file sent twice is the same post twice.
    body = readFileSync(file, 'utf8');
    try {
      JSON.parse(body);
    } catch (err) {
      console.error(`${file} is not JSON (${(err as Error).message}); the bot would answer 400 invalid_json.`);
      return 2;
    }
  } else {
    if (!(name in SAMPLES)) {
      console.error(`Unknown sample "${name}": use one of ${Object.keys(SAMPLES).join(', ')}, or --file body.json.`);
      return 2;
    }
    const id = flag('--id') ?? `${SAMPLES[name].id}-${Date.now()}`;
    body = JSON.stringify({ ...SAMPLES[name], id, postedAt: new Date().toISOString() });
  }

  const secret = process.env.WEBHOOK_SECRET;
  const token = process.env.WEBHOOK_TOKEN;
  if (!secret && !token) {
    console.error('Neither WEBHOOK_SECRET nor WEBHOOK_TOKEN is set (in the environment or .env): the bot only opens the webhook when one is.');
    return 2;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) {
    const ts = Math.floor(Date.now() / 1000);
    headers['x-webhook-timestamp'] = String(ts);
    headers['x-webhook-signature'] = sign(secret, ts, body);
  } else {
    headers.authorization = `Bearer ${token}`;
  }
  const mapping = flag('--mapping');
  const url = new URL('/webhooks/mentions', base);
  if (mapping) url.searchParams.set('mapping', mapping);
  const res = await fetch(url, { method: 'POST', headers, body });
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
