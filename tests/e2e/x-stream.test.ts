import pino from 'pino';
import { backoffMs, runXStream, syncRules, X_BACKOFF, XStreamError, type Backoff } from '../../src/connectors/x-stream';
import { webhookForwarder } from '../../src/connectors/webhook-forwarder';
import { cardText, startHarness, WEBHOOK_SECRET, type Harness } from '../support/harness';
import { XStreamDouble } from '../support/x-double';
import { runScript } from '../support/process';

/**
 * `npm run x:stream` end to end over real HTTP: X's stream (a local double) → the connector →
 * the bot's signed webhook → one card per post, across HTTP errors, a dropped connection,
 * a stalled one, and a post X delivers twice.
 */
const TOKEN = 'x-test-bearer';
const FAST: Backoff = { networkStepMs: 20, networkMaxMs: 100, httpFirstMs: 60, httpMaxMs: 500, rateLimitFirstMs: 150, rateLimitMaxMs: 1000, stallMs: 1500 };
const log = pino({ level: 'silent' });

let h: Harness;
let x: XStreamDouble;
let ctl: AbortController;
let running: Promise<void> | undefined;

beforeEach(async () => {
  h = await startHarness();
  x = await new XStreamDouble(TOKEN).start();
  ctl = new AbortController();
});
afterEach(async () => {
  ctl.abort();
  await running?.catch(() => undefined);
  await x.stop();
  await h.close();
});

const cards = () => h.slack.succeeded('chat.postMessage');

test('X\'s documented backoff: linear for network errors, exponential for HTTP errors, from a minute for 429', () => {
  expect([1, 2, 3, 64, 65].map((n) => backoffMs(X_BACKOFF, 'network', n))).toEqual([250, 500, 750, 16_000, 16_000]);
  expect([1, 2, 3, 7, 8].map((n) => backoffMs(X_BACKOFF, 'http', n))).toEqual([5_000, 10_000, 20_000, 320_000, 320_000]);
  expect([1, 2, 3].map((n) => backoffMs(X_BACKOFF, 'rate_limit', n))).toEqual([60_000, 120_000, 240_000]);
});

test('rules are synced, and each post becomes exactly one card across errors, a disconnect, a stall and a redelivery', async () => {
  x.rules = [{ id: '1', value: 'an old rule', tag: 'old' }, { id: '2', value: 'Zentiva lang:en', tag: 'zentiva-hcps' }];
  x.failNextConnects(503, 429);
  running = runXStream({
    apiUrl: x.url,
    bearerToken: TOKEN,
    rules: [{ value: 'Zentiva lang:en', tag: 'zentiva-hcps' }, { value: '(Zentiva OR Cardiva) has:links', tag: 'zentiva-links' }],
    forward: webhookForwarder({ url: h.base, secret: WEBHOOK_SECRET, log, signal: ctl.signal, retryFirstMs: 20 }),
    backoff: FAST,
    log,
    signal: ctl.signal,
  });

  await x.waitForConnection(1);
  // Rules: the stale one deleted, the missing one added, the kept one untouched.
  expect(x.rules.map((r) => r.value).sort()).toEqual(['(Zentiva OR Cardiva) has:links', 'Zentiva lang:en']);
  expect(x.ruleCalls.filter((c) => c.method === 'POST')).toEqual([
    { method: 'POST', body: { delete: { ids: ['1'] } } },
    { method: 'POST', body: { add: [{ value: '(Zentiva OR Cardiva) has:links', tag: 'zentiva-links' }] } },
  ]);
  // 503 then 429 before the first connection: an HTTP-error wait, then a longer rate-limit wait.
  const [a503, a429, ok] = x.attempts;
  expect([a503!.status, a429!.status, ok!.status]).toEqual([503, 429, 200]);
  expect(a429!.at - a503!.at).toBeGreaterThanOrEqual(FAST.httpFirstMs - 5);
  expect(ok!.at - a429!.at).toBeGreaterThanOrEqual(FAST.rateLimitFirstMs - 5);

  /**
   * Sends a post on the open connection and waits for its card. On a loaded machine the
   * connector may have dropped that connection for a stall meanwhile; X then sends the post
   * again on the next one, as here: the repeat is a duplicate, never a second card.
   */
  const deliver = async (p: Parameters<XStreamDouble['post']>[0], cardsAfter: number) => {
    for (let attempt = 1; ; attempt++) {
      await x.waitForConnection(x.attempts.filter((a) => a.status === 200).length);
      x.post(p);
      try {
        await h.slack.waitFor(() => cards().length >= cardsAfter, 3000, `card ${cardsAfter}`);
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
  };

  x.write('\r\n'); // keep-alive
  await deliver({ id: '1870000000000000001', text: 'Zentiva has been great for my heart failure patients', username: 'DrAda', name: 'Dr. Ada' }, 1);
  await deliver({ id: '1870000000000000002', text: 'Prior auth for Zentiva denied again, exhausting', username: 'DrBo' }, 2);
  const before = x.attempts.length;
  x.write('{"data":{"id":"1870000000000000003","text":"cut in the mid'); // a line cut by the disconnect
  x.disconnect();

  await x.waitForConnection(x.attempts.filter((a) => a.status === 200).length + 1);
  expect(x.attempts.length).toBeGreaterThan(before);
  // X may deliver a post again after a reconnect: it is a duplicate, not a second card.
  x.post({ id: '1870000000000000002', text: 'Prior auth for Zentiva denied again, exhausting', username: 'DrBo' });
  await deliver({ id: '1870000000000000003', text: 'Switched a patient to Zentiva, tolerated well', username: 'DrCy' }, 3);

  // Nothing at all, not even the keep-alive, for longer than stallMs: the connector reconnects.
  const opened = x.attempts.filter((a) => a.status === 200).length;
  await x.waitForConnection(opened + 1, 10_000);
  await deliver({ id: '1870000000000000004', text: 'Zentiva question for the cardiology crowd', username: 'DrDee' }, 4);
  await new Promise((r) => setTimeout(r, 300));

  const texts = cards().map((c) => String(c.args.text));
  expect(cards()).toHaveLength(4);
  for (const who of ['Dr. Ada', 'DrBo', 'DrCy', 'DrDee']) expect(texts.filter((t) => t.includes(who))).toHaveLength(1);
  const first = cardText(cards().find((c) => String(c.args.text).includes('Dr. Ada'))!.args.blocks);
  expect(first).toContain('<https://x.com/DrAda/status/1870000000000000001|View post>');
  expect(first).toContain('query “X rule zentiva-hcps”');
  const rows = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['source', 'external_id']).orderBy('external_id').execute();
  expect(rows).toEqual([1, 2, 3, 4].map((n) => ({ source: 'x', external_id: `187000000000000000${n}` })));
});

test('a refused bearer token stops the connector with a message naming X_BEARER_TOKEN', async () => {
  await expect(
    runXStream({ apiUrl: x.url, bearerToken: 'wrong', rules: [{ value: 'Zentiva' }], forward: async () => undefined, backoff: FAST, log, signal: ctl.signal }),
  ).rejects.toThrow(/X refused the bearer token \(HTTP 401\): check X_BEARER_TOKEN/);
  expect(cards()).toHaveLength(0);
});

test('rules X refuses stop the connector naming them', async () => {
  const refusing = new XStreamDouble(TOKEN);
  await refusing.start();
  try {
    // Answer the add with per-rule errors, as X does for bad syntax.
    const server = (refusing as unknown as { server: import('node:http').Server }).server;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"meta":{"result_count":0}}');
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ value: 'Zentiva (', title: 'Invalid Rule', details: ['Unmatched parenthesis'] }] }));
    });
    await expect(syncRules({ apiUrl: refusing.url, bearerToken: TOKEN, rules: [{ value: 'Zentiva (' }], log })).rejects.toThrow(XStreamError);
    await expect(syncRules({ apiUrl: refusing.url, bearerToken: TOKEN, rules: [{ value: 'Zentiva (' }], log })).rejects.toThrow(/Zentiva \(: Invalid Rule Unmatched parenthesis/);
  } finally {
    await refusing.stop();
  }
});

test('npm run x:stream without its token, secret or rules file says what is missing and exits 2', async () => {
  const res = await runScript('x-stream.ts', ['--rules', '/nonexistent/x-rules.json'], {});
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('X_BEARER_TOKEN: required');
  expect(res.stderr).toContain('WEBHOOK_SECRET or WEBHOOK_TOKEN: required');
  expect(res.stderr).toContain('no rules file at /nonexistent/x-rules.json');
});
