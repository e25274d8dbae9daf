/**
 * The bench's load generator, in its own process so that making and timing requests costs the
 * measured server nothing. Plain node:http with keep-alive connections (one per request in
 * flight), signed as the bot's senders sign: webhook posts (v0 HMAC over the body) and Slack
 * button clicks (Slack's signature over the form body). Latency is timed here, from the
 * request written to the answer's last byte: what a sender sees.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sign } from '../../src/ingest/signature';
import { serveParent } from './bench-process';

const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET ?? '';
const SIGNING_SECRET = process.env.SLACK_SIGNING_SECRET ?? '';

export const TEXTS = [
  'Switched two of my patients to Zentiva this month. Really impressed with how well it is tolerated.',
  'Prior auth denied again for Zentiva. Third patient this month. Exhausting.',
  'Interesting data on Zentiva at the congress today, looking forward to the full paper.',
  'Zentiva seems fine so far in my clinic, nothing remarkable either way.',
];

let uniq = 0;
const mentionBody = () => {
  const i = ++uniq;
  return JSON.stringify({ source: 'x', id: `bench-${process.pid}-${i}`, url: `https://x.com/dr${i % 500}/status/${i}`, author: { handle: `dr${i % 500}`, name: `Dr. ${i % 500}` }, text: TEXTS[i % TEXTS.length], product: 'Zentiva' });
};

export interface Card {
  channel: string;
  ts: string;
  blocks?: unknown;
}

let clicks = 0;
/**
 * A click on the first button of the card's controls (its `alert:<id>` actions block: the
 * rep's primary action, which opens a modal), in Slack's block_actions shape.
 */
export function clickOnCard(card: Card, n: number) {
  const blocks = card.blocks as { type: string; block_id?: string; elements?: { type: string; action_id: string; value?: string; text?: unknown }[] }[];
  const actions = blocks.find((b) => b.type === 'actions' && b.block_id?.startsWith('alert:')) ?? blocks.find((b) => b.type === 'actions')!;
  const button = actions.elements!.find((e) => e.type === 'button')!;
  return {
    type: 'block_actions',
    api_app_id: 'A0BENCH',
    token: 'legacy',
    trigger_id: `${Date.now()}.${n}.bench`,
    user: { id: 'U0BENCH', username: 'bench', name: 'bench', team_id: 'T0TEST' },
    team: { id: 'T0TEST', domain: 'bench' },
    container: { type: 'message', message_ts: card.ts, channel_id: card.channel, is_ephemeral: false },
    channel: { id: card.channel, name: 'bench' },
    message: { type: 'message', ts: card.ts, text: '', blocks: card.blocks },
    response_url: 'http://127.0.0.1:9/response',
    actions: [{ type: 'button', action_id: button.action_id, block_id: actions.block_id, value: button.value, text: button.text, action_ts: `${Date.now() / 1000}` }],
  };
}

type Req = { path: string; headers: Record<string, string>; body: string };

const webhookRequest = (): Req => {
  const body = mentionBody();
  const ts = Math.floor(Date.now() / 1000);
  return { path: '/webhooks/mentions', headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(WEBHOOK_SECRET, ts, body) }, body };
};

const clickRequest = (card: Card): Req => {
  const body = 'payload=' + encodeURIComponent(JSON.stringify(clickOnCard(card, ++clicks)));
  const ts = Math.floor(Date.now() / 1000);
  return { path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SIGNING_SECRET, ts, body) }, body };
};

function send(agent: Agent, port: number, r: Req): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: r.path, agent, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) } }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(r.body);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};

/** Sends `n` requests with `concurrency` in flight; answers accepted/s and latency percentiles. */
async function load(a: { port: number; n: number; concurrency: number; make: () => Req }) {
  const agent = new Agent({ keepAlive: true, maxSockets: a.concurrency });
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: a.concurrency }, async () => {
      while (next < a.n) {
        next++;
        const r = a.make();
        const s = performance.now();
        const status = await send(agent, a.port, r).catch(() => 0);
        latencies.push(performance.now() - s);
        if (status !== 202 && status !== 200) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { perSecond: a.n / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), failures };
}
export type LoadResult = Awaited<ReturnType<typeof load>>;

if (require.main === module) {
  serveParent(
    {},
    {
      webhooks: (a: { port: number; n: number; concurrency: number }) => load({ ...a, make: webhookRequest }),
      clicks: (a: { port: number; n: number; concurrency: number; card: Card }) => load({ ...a, make: () => clickRequest(a.card) }),
    },
    async () => undefined,
  );
}
