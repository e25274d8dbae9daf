/**
 * npm run x:stream [-- --rules x-rules.json] [--url http://localhost:3000]
 * Reads X's API v2 filtered stream and sends each matching post to the bot's webhook.
 * Environment (or .env): X_BEARER_TOKEN (required), X_RULES_FILE (default x-rules.json),
 * X_API_URL (default https://api.x.com), WEBHOOK_SECRET or WEBHOOK_TOKEN, PORT, LOG_LEVEL.
 * Runs until SIGTERM / SIGINT; run one per X app (X allows one stream connection per app).
 */
import { existsSync } from 'node:fs';
import { createLogger } from '../src/logger';
import { loadRules, runXStream, XStreamError } from '../src/connectors/x-stream';
import { ForwardRefused, webhookForwarder } from '../src/connectors/webhook-forwarder';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = process.env;
  const args = process.argv.slice(2);
  const problems: string[] = [];
  if (!env.X_BEARER_TOKEN) problems.push('X_BEARER_TOKEN: required: the app-only bearer token of your X developer app');
  if (!env.WEBHOOK_SECRET && !env.WEBHOOK_TOKEN) problems.push('WEBHOOK_SECRET or WEBHOOK_TOKEN: required: the same value the bot has, to send it posts');
  const rulesFile = flag(args, '--rules') ?? env.X_RULES_FILE ?? 'x-rules.json';
  if (!existsSync(rulesFile)) problems.push(`X_RULES_FILE: no rules file at ${rulesFile} (a JSON list of {"value": "…", "tag": "…"}; see README)`);
  if (problems.length) {
    console.error(`x:stream cannot start:\n  - ${problems.join('\n  - ')}`);
    return 2;
  }
  const log = createLogger((env.LOG_LEVEL as 'info') || 'info');
  const rules = loadRules(rulesFile);
  const ctl = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info({ signal: sig }, 'x:stream stopping');
      ctl.abort();
    });
  }
  const forward = webhookForwarder({
    url: flag(args, '--url') ?? `http://localhost:${env.PORT || 3000}`,
    secret: env.WEBHOOK_SECRET || undefined,
    token: env.WEBHOOK_TOKEN || undefined,
    log,
    signal: ctl.signal,
  });
  await runXStream({
    apiUrl: env.X_API_URL || 'https://api.x.com',
    bearerToken: env.X_BEARER_TOKEN!,
    rules,
    forward,
    log,
    signal: ctl.signal,
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    const known = err instanceof XStreamError || err instanceof ForwardRefused;
    console.error(`x:stream stopped: ${known ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
