import { mention, postMention, startHarness, WEBHOOK_SECRET, type Harness } from '../support/harness';
import { sign } from '../../src/ingest/signature';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function nothingStoredOrPosted() {
  const db = h.pulse.ctx.db.kysely;
  const mentions = await db.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const outbox = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  expect(Number(mentions.n)).toBe(0);
  expect(Number(outbox.n)).toBe(0);
  // Give a wrongly queued card time to go out before asserting none did.
  await new Promise((r) => setTimeout(r, 150));
  expect(h.slack.callsOf('chat.postMessage')).toHaveLength(0);
}

const now = () => Math.floor(Date.now() / 1000);

test.each([
  ['a missing signature', () => ({ signature: '' })],
  ['a wrong signature', () => ({ signature: 'v0=' + '0'.repeat(64) })],
  ['a signature made with another secret', () => ({ secret: 'another-secret-0123456789' })],
  ['a timestamp 301 s old', () => ({ timestamp: now() - 301 })],
  // Well past the window: on a loaded machine seconds pass between signing and checking.
  ['a timestamp 330 s in the future', () => ({ timestamp: now() + 330 })],
])('%s is 401 invalid_signature', async (_what, opts) => {
  const res = await postMention(h.base, mention(), opts());
  expect(res.status).toBe(401);
  expect(res.json).toEqual({ error: 'invalid_signature' });
  await nothingStoredOrPosted();
});

test('a body that is not JSON is 400 invalid_json', async () => {
  const res = await postMention(h.base, '{"id": "1", ');
  expect(res.status).toBe(400);
  expect(res.json).toEqual({ error: 'invalid_json' });
  await nothingStoredOrPosted();
});

test('a schema error lists every issue by path', async () => {
  const res = await postMention(h.base, { id: '', author: { handle: '@' }, text: '', url: 'ftp://x', postedAt: 'yesterday' });
  expect(res.status).toBe(400);
  expect(res.json.error).toBe('invalid_payload');
  const paths = res.json.issues.map((i: { path: string }) => i.path).sort();
  expect(paths).toEqual(['author.handle', 'id', 'postedAt', 'text', 'url']);
  for (const issue of res.json.issues) expect(issue.message).toEqual(expect.any(String));
  await nothingStoredOrPosted();
});

test('one bad mention in a batch rejects the whole batch, naming its index', async () => {
  const res = await postMention(h.base, { mentions: [mention({ id: 'ok-1' }), mention({ id: 'bad', text: 'x'.repeat(10_001) })] });
  expect(res.status).toBe(400);
  expect(res.json.issues).toEqual([{ path: 'mentions.1.text', message: 'must be at most 10,000 characters' }]);
  await nothingStoredOrPosted();
});

test('a batch of 101 or 0 mentions is refused', async () => {
  const big = await postMention(h.base, { mentions: Array.from({ length: 101 }, (_, i) => mention({ id: `m${i}` })) });
  expect(big.status).toBe(400);
  expect(big.json.issues[0].path).toBe('mentions');
  const empty = await postMention(h.base, { mentions: [] });
  expect(empty.status).toBe(400);
  await nothingStoredOrPosted();
});

test('an X API v2 post whose author is not in includes is refused', async () => {
  const res = await postMention(h.base, { data: { id: '1', text: 'hi', author_id: '9' }, includes: { users: [{ id: '8', username: 'a' }] } });
  expect(res.status).toBe(400);
  expect(res.json.issues).toEqual([{ path: 'data.author_id', message: 'no user with id 9 in includes.users' }]);
  await nothingStoredOrPosted();
});

test.each([
  ['a space', 'dr jane', 'must not contain spaces or <, >, &'],
  ['angle brackets', '<!channel>', 'must not contain spaces or <, >, &'],
  ['101 characters', 'd'.repeat(101), 'must be at most 100 characters'],
])('an X API v2 username with %s is 400 naming it, not 503', async (_what, username, message) => {
  const res = await postMention(h.base, { data: { id: '1', text: 'Zentiva works', author_id: '8' }, includes: { users: [{ id: '8', username }] } });
  expect(res.status).toBe(400);
  expect(res.json).toEqual({ error: 'invalid_payload', issues: [{ path: 'includes.users.0.username', message }] });
  await nothingStoredOrPosted();
});

test('a JSON array or scalar is a schema error', async () => {
  for (const body of ['[]', '42', 'null']) {
    const res = await postMention(h.base, body);
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_payload');
  }
  await nothingStoredOrPosted();
});

test('a body over 1 MiB is 413 payload_too_large', async () => {
  const res = await postMention(h.base, { ...mention(), padding: 'x'.repeat(1024 * 1024) });
  expect(res.status).toBe(413);
  expect(res.json).toEqual({ error: 'payload_too_large' });
  await nothingStoredOrPosted();
});

test('a body that is not application/json is 415', async () => {
  const res = await postMention(h.base, mention(), { contentType: 'text/plain' });
  expect(res.status).toBe(415);
  expect(res.json).toEqual({ error: 'unsupported_media_type' });
  await nothingStoredOrPosted();
});

test('application/json with a charset is accepted', async () => {
  const raw = JSON.stringify(mention({ id: 'charset-1' }));
  const ts = now();
  const res = await fetch(`${h.base}/webhooks/mentions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(WEBHOOK_SECRET, ts, raw) },
    body: raw,
  });
  expect(res.status).toBe(202);
  await h.pulse.ctx.db.kysely.deleteFrom('outbox').execute();
  await h.pulse.ctx.db.kysely.deleteFrom('audit').execute();
  await h.pulse.ctx.db.kysely.deleteFrom('reminders').execute();
  await h.pulse.ctx.db.kysely.deleteFrom('mentions').execute();
});

test('the webhook answers 404 when WEBHOOK_SECRET is unset', async () => {
  const off = await startHarness({ WEBHOOK_SECRET: '' });
  try {
    const res = await postMention(off.base, mention());
    expect(res.status).toBe(404);
  } finally {
    await off.close();
  }
});
