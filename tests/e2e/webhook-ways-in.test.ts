import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse } from '../../src/app';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { sign } from '../../src/ingest/signature';
import { cardText, mention, startHarness, testEnv, WEBHOOK_SECRET, type Harness } from '../support/harness';

/**
 * The ways in for tools that cannot make our v0 signature: Standard Webhooks, a bearer token,
 * and a tool's own JSON through WEBHOOK_MAPPING. Each end to end over HTTP, to a card.
 */
const TOKEN = 'test-bearer-token-0123456789abcdef';
const MAPPING_FILE = join(__dirname, '..', '..', 'scripts', 'examples', 'webhook-mapping.json');

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const now = () => Math.floor(Date.now() / 1000);

/** A Standard Webhooks signature made independently of the library the bot uses. */
const stdSign = (key: Buffer, id: string, ts: number, body: string) => 'v1,' + createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64');

async function post(base: string, body: string, headers: Record<string, string>, query = '') {
  const res = await fetch(`${base}/webhooks/mentions${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const posted = () => h.slack.succeeded('chat.postMessage');

async function stored(): Promise<number> {
  const r = await h.pulse.ctx.db.kysely.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('Standard Webhooks', () => {
  test('a whsec_ secret: the key is the base64 after the prefix; a good signature makes one card', async () => {
    const key = randomBytes(24);
    h = await startHarness({ WEBHOOK_SECRET: `whsec_${key.toString('base64')}` });
    const body = JSON.stringify(mention({ id: 'std-1' }));
    const ts = now();
    const res = await post(h.base, body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': stdSign(key, 'msg_1', ts, body) });
    expect(res.status).toBe(202);
    expect(res.json.accepted).toBe(1);
    await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
    expect(cardText(posted()[0]!.args.blocks)).toContain('Dr. Jane Doe');
  });

  test('a plain secret is keyed with its UTF-8 bytes; one good signature among several is enough', async () => {
    h = await startHarness();
    const body = JSON.stringify(mention({ id: 'std-2' }));
    const ts = now();
    const good = stdSign(Buffer.from(WEBHOOK_SECRET, 'utf8'), 'msg_2', ts, body);
    const stale = stdSign(Buffer.from('an-old-rotated-secret-000', 'utf8'), 'msg_2', ts, body);
    const res = await post(h.base, body, { 'webhook-id': 'msg_2', 'webhook-timestamp': String(ts), 'webhook-signature': `${stale} ${good}` });
    expect(res.status).toBe(202);
    await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
  });

  test.each([
    ['a signature by another key', (body: string, ts: number) => ({ id: 'm', ts, sig: stdSign(Buffer.from('some-other-secret-0123456789'), 'm', ts, body) })],
    ['a signature over another id', (body: string, ts: number) => ({ id: 'm', ts, sig: stdSign(Buffer.from(WEBHOOK_SECRET), 'other', ts, body) })],
    // Well past the 300 s window: a loaded machine can take seconds between signing and checking.
    ['a timestamp 330 s old', (body: string, ts: number) => ({ id: 'm', ts: ts - 330, sig: stdSign(Buffer.from(WEBHOOK_SECRET), 'm', ts - 330, body) })],
    ['a timestamp 330 s ahead', (body: string, ts: number) => ({ id: 'm', ts: ts + 330, sig: stdSign(Buffer.from(WEBHOOK_SECRET), 'm', ts + 330, body) })],
    ['a v2 version tag', (body: string, ts: number) => ({ id: 'm', ts, sig: stdSign(Buffer.from(WEBHOOK_SECRET), 'm', ts, body).replace('v1,', 'v2,') })],
    ['no webhook-id', (body: string, ts: number) => ({ id: '', ts, sig: stdSign(Buffer.from(WEBHOOK_SECRET), '', ts, body) })],
  ])('%s is 401 and stores nothing', async (_what, make) => {
    h = await startHarness();
    const body = JSON.stringify(mention({ id: 'std-bad' }));
    const s = make(body, now());
    const headers: Record<string, string> = { 'webhook-timestamp': String(s.ts), 'webhook-signature': s.sig };
    if (s.id) headers['webhook-id'] = s.id;
    const res = await post(h.base, body, headers);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_signature' });
    expect(await stored()).toBe(0);
  });

  test('a whsec_ secret that is not base64 stops start-up naming WEBHOOK_SECRET', () => {
    expect(() => loadConfig(testEnv('http://127.0.0.1:9/api/', tmpdir(), { WEBHOOK_SECRET: 'whsec_not*base64*at*all!!' }))).toThrow(
      /WEBHOOK_SECRET: the value given is not valid: a whsec_ secret must be followed by base64/,
    );
  });
});

describe('Authorization: Bearer', () => {
  test('the right token is accepted without a signature, also with no WEBHOOK_SECRET', async () => {
    h = await startHarness({ WEBHOOK_SECRET: '', WEBHOOK_TOKEN: TOKEN });
    const res = await post(h.base, JSON.stringify(mention({ id: 'bearer-1' })), { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(202);
    await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
  });

  test.each([
    ['a wrong token', `Bearer ${TOKEN.slice(0, -1)}x`],
    ['a longer token', `Bearer ${TOKEN}0`],
    ['another scheme', `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`],
    ['no token', 'Bearer '],
  ])('%s is 401 and stores nothing', async (_what, authorization) => {
    h = await startHarness({ WEBHOOK_TOKEN: TOKEN });
    const res = await post(h.base, JSON.stringify(mention({ id: 'bearer-bad' })), { authorization });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_signature' });
    expect(await stored()).toBe(0);
  });

  test('without WEBHOOK_TOKEN a bearer token opens nothing', async () => {
    h = await startHarness();
    const res = await post(h.base, JSON.stringify(mention()), { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(401);
  });
});

describe('WEBHOOK_MAPPING', () => {
  const meltwater = (over: Record<string, unknown> = {}) => ({
    documents: [
      {
        id: '1713459776000_K49ugt285FchyyIqJ15D85lyR5wA',
        external_id: '1861000000000000077',
        url: 'https://x.com/drkim/status/1861000000000000077',
        published_date: new Date(Date.now() - 3_600_000).toISOString(),
        content: { title: '', opening_text: 'Prior auth for Zentiva denied again. Third patient this month, exhausting.' },
        author: { name: 'Dr. Kim <b>', handle: 'drkim' },
        source: { name: 'X' },
        enrichments: { sentiment: 'negative' },
        matched: { inputs: [{ id: 42, name: 'Zentiva <!channel> HCPs', type: 'search' }] },
        ...over,
      },
    ],
  });

  test('a Meltwater-shaped body becomes a card that shows the tool\'s sentiment and query, escaped', async () => {
    h = await startHarness({ WEBHOOK_TOKEN: TOKEN, WEBHOOK_MAPPING: MAPPING_FILE });
    const res = await post(h.base, JSON.stringify(meltwater()), { authorization: `Bearer ${TOKEN}` }, '?mapping=meltwater');
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ accepted: 1, duplicates: 0, mentions: [{ id: '1861000000000000077', duplicate: false }] });
    await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
    const text = cardText(posted()[0]!.args.blocks);
    expect(text).toContain('Listening tool: sentiment “negative” · query “Zentiva &lt;!channel&gt; HCPs”');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('Prior auth for Zentiva denied again');
    const row = await h.pulse.ctx.db.kysely.selectFrom('mentions').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'meltwater', external_id: '1861000000000000077', tool_sentiment: 'negative', tool_query: 'Zentiva <!channel> HCPs', author_handle: 'drkim' });
    const again = await post(h.base, JSON.stringify(meltwater()), { authorization: `Bearer ${TOKEN}` }, '?mapping=meltwater');
    expect(again.json).toEqual({ accepted: 0, duplicates: 1, mentions: [{ id: '1861000000000000077', duplicate: true }] });
  });

  test('a mapped body missing a field is 400 naming the tool\'s own path; nothing stored', async () => {
    h = await startHarness({ WEBHOOK_MAPPING: MAPPING_FILE });
    const body = JSON.stringify(meltwater({ content: { title: '', opening_text: '' } }));
    const ts = now();
    const res = await post(h.base, body, { 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(WEBHOOK_SECRET, ts, body) }, '?mapping=meltwater');
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_payload');
    expect(res.json.issues).toEqual([{ path: 'documents.0.content.opening_text | content.title', message: expect.stringContaining('(mapped to text)') }]);
    expect(await stored()).toBe(0);
  });

  test('an unknown mapping name is 400 naming the known ones', async () => {
    h = await startHarness({ WEBHOOK_TOKEN: TOKEN, WEBHOOK_MAPPING: MAPPING_FILE });
    const res = await post(h.base, JSON.stringify(meltwater()), { authorization: `Bearer ${TOKEN}` }, '?mapping=sprinklr');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'unknown_mapping', message: 'no mapping of that name in WEBHOOK_MAPPING; known: meltwater, brandwatch, zapier' });
    expect(await stored()).toBe(0);
  });

  test('a bad mapping file stops start-up, saying what is wrong where', async () => {
    const slack = await new SlackDouble().start();
    const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-map-'));
    try {
      const file = join(dir, 'mapping.json');
      writeFileSync(file, JSON.stringify({ meltwater: { fields: { id: 'id', text: 'content..text' } } }));
      const config = loadConfig(testEnv(slack.url, dir, { WEBHOOK_MAPPING: file }));
      await expect(startPulse(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
        /WEBHOOK_MAPPING .*mapping\.json is not a valid mapping file:\n {2}- meltwater\.fields\.authorHandle: .*\n {2}- meltwater\.fields\.text: expected a dot path/s,
      );
      writeFileSync(file, '{ not json');
      await expect(startPulse(loadConfig(testEnv(slack.url, dir, { WEBHOOK_MAPPING: file })), { logger: pino({ level: 'silent' }) })).rejects.toThrow(
        /WEBHOOK_MAPPING .*: cannot read it as JSON/,
      );
    } finally {
      await slack.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
