/**
 * The bench's bare references, each alone in its process like the bot (BENCH_BARE selects):
 *   ingest: node:http, the same HMAC check, one insert with the same driver (a durable
 *           SQLite commit per request, or one PostgreSQL insert when BENCH_PG_URL is set);
 *   bolt:   the same Bolt with its HTTP receiver and one listener that only acks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { Client } from 'pg';
import { verifySignature } from '../../src/ingest/signature';
import { cpuMs, serveParent } from './bench-process';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

async function bareIngest(): Promise<{ port: number; stop: () => Promise<void> }> {
  const secret = env('WEBHOOK_SECRET');
  let insert: (source: string, id: string, body: string) => Promise<void> | void;
  let close: () => Promise<void> | void;
  if (process.env.BENCH_PG_URL) {
    const client = new Client({ connectionString: process.env.BENCH_PG_URL });
    await client.connect();
    await client.query('create table if not exists posts (id serial primary key, source text, external_id text, body text, unique (source, external_id))');
    insert = async (source, id, body) => {
      await client.query('insert into posts (source, external_id, body) values ($1, $2, $3) on conflict do nothing', [source, id, body]);
    };
    close = () => client.end();
  } else {
    const db = new SqliteDatabase(join(env('BENCH_DIR'), 'bare.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('create table if not exists posts (id integer primary key, source text, external_id text, body text, unique (source, external_id))');
    const stmt = db.prepare('insert into posts (source, external_id, body) values (?, ?, ?) on conflict do nothing');
    insert = (source, id, body) => void stmt.run(source, id, body);
    close = () => void db.close();
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ok = verifySignature(secret, String(req.headers['x-webhook-timestamp']), String(req.headers['x-webhook-signature']), raw, Math.floor(Date.now() / 1000));
      if (!ok) {
        res.writeHead(401).end();
        return;
      }
      const text = raw.toString('utf8');
      const body = JSON.parse(text) as { source: string; id: string };
      void Promise.resolve(insert(body.source, body.id, text)).then(
        () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}'),
        () => res.writeHead(503).end(),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await close();
    },
  };
}

async function bareBolt(): Promise<{ port: number; stop: () => Promise<void> }> {
  const receiver = new HTTPReceiver({ signingSecret: env('SLACK_SIGNING_SECRET'), logLevel: LogLevel.ERROR });
  const app = new App({ token: 'xoxb-bench', receiver, clientOptions: { slackApiUrl: env('SLACK_API_URL') }, logLevel: LogLevel.ERROR, deferInitialization: true });
  app.action(/.*/, async ({ ack }) => {
    await ack();
  });
  await app.init();
  const server = (await app.start(0)) as Server;
  return { port: (server.address() as AddressInfo).port, stop: () => app.stop().then(() => undefined) };
}

async function main(): Promise<void> {
  const which = process.env.BENCH_BARE;
  const ref = which === 'ingest' ? await bareIngest() : which === 'bolt' ? await bareBolt() : null;
  if (!ref) throw new Error(`BENCH_BARE must be ingest or bolt, not ${which}`);
  serveParent({ port: ref.port }, { rss: () => process.memoryUsage().rss / 1024 / 1024, cpuMs }, ref.stop);
}

main().catch((err) => {
  console.error(`bench reference failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
