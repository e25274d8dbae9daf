import { mention, postMention, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
});
afterEach(async () => {
  await h.close();
});

const posted = () => h.slack.succeeded('chat.postMessage');

test('the same post sent twice in a row makes one card', async () => {
  const body = mention({ id: 'dup-1' });
  const first = await postMention(h.base, body);
  const second = await postMention(h.base, body);
  expect(first.json).toEqual({ accepted: 1, duplicates: 0, mentions: [{ id: 'dup-1', duplicate: false }] });
  expect(second.status).toBe(202);
  expect(second.json).toEqual({ accepted: 0, duplicates: 1, mentions: [{ id: 'dup-1', duplicate: true }] });
  await h.slack.waitFor(() => posted().length >= 1, 5000, 'the card');
  await new Promise((r) => setTimeout(r, 1500));
  expect(posted()).toHaveLength(1);
});

test('five concurrent deliveries of one post make one card', async () => {
  const body = mention({ id: 'dup-concurrent' });
  const answers = await Promise.all(Array.from({ length: 5 }, () => postMention(h.base, body)));
  expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
  expect(answers.filter((a) => a.json.accepted === 1)).toHaveLength(1);
  expect(answers.filter((a) => a.json.duplicates === 1)).toHaveLength(4);
  await h.slack.waitFor(() => posted().length >= 1, 5000, 'the card');
  await new Promise((r) => setTimeout(r, 1500));
  expect(posted()).toHaveLength(1);
});

test('the handle is matched case-insensitively and "@" is stripped for identity of the author', async () => {
  await postMention(h.base, mention({ id: 'h1', author: { handle: '@DrJane' } }));
  const row = await h.pulse.ctx.db.kysely.selectFrom('mentions').select('author_handle').executeTakeFirstOrThrow();
  expect(row.author_handle).toBe('drjane');
});

test('Slack answering 429 then 500 delays the card but posts it once', async () => {
  h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, { status: 500 });
  const res = await postMention(h.base, mention({ id: 'retry-1' }));
  expect(res.status).toBe(202);
  await h.slack.waitFor(() => posted().length === 1, 10_000, 'the card after retries');
  const attempts = h.slack.callsOf('chat.postMessage');
  expect(attempts.map((c) => c.status)).toEqual([429, 500, 200]);
  // Retry-After was honoured: the second attempt waited at least a second.
  expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(950);
  await new Promise((r) => setTimeout(r, 1500));
  expect(posted()).toHaveLength(1);
  const mentionRow = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['alert_channel', 'alert_ts']).executeTakeFirstOrThrow();
  expect(mentionRow.alert_ts).toBe(attempts[2]!.status === 200 ? h.slack.messages[0]!.ts : null);
});

test('a roster channel Slack refuses falls back to the alert channel', async () => {
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, channel_id: 'C0GONE', updated_at: new Date().toISOString() })
    .execute();
  h.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
  await postMention(h.base, mention({ id: 'reroute-1' }));
  await h.slack.waitFor(() => posted().length === 1, 5000, 'the rerouted card');
  expect(h.slack.callsOf('chat.postMessage').map((c) => c.args.channel)).toEqual(['C0GONE', 'C0ALERTS']);
});

test('cards are paced at one per second per channel without holding up other channels', async () => {
  await h.pulse.ctx.db.kysely
    .insertInto('hcps')
    .values({ handle: 'dronc', name: 'Dr. Onc', target: 0, channel_id: 'C0ONCOLOGY', updated_at: new Date().toISOString() })
    .execute();
  await postMention(h.base, { mentions: [mention({ id: 'pace-1' }), mention({ id: 'pace-2' }), mention({ id: 'pace-3', author: { handle: 'dronc' } })] });
  await h.slack.waitFor(() => posted().length === 3, 8000, 'three cards');
  const at = (channel: string) => posted().filter((c) => c.args.channel === channel).map((c) => c.at);
  const [a1, a2] = at('C0ALERTS');
  const [o1] = at('C0ONCOLOGY');
  expect(a2! - a1!).toBeGreaterThanOrEqual(950);
  expect(o1! - a1!).toBeLessThan(900);
});
