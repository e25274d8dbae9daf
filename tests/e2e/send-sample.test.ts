import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mention, startHarness, WEBHOOK_SECRET, type Harness } from '../support/harness';
import { runScript } from '../support/process';

/** `npm run send-sample` as a process against a running bot: the deduplication demo README gives. */
let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ WEBHOOK_MAPPING: join(__dirname, '..', '..', 'scripts', 'examples', 'webhook-mapping.json') });
  dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-send-'));
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const cards = () => h.slack.succeeded('chat.postMessage');
const env = () => ({ WEBHOOK_SECRET });

test('--file sends the body as written; the same file again is a duplicate and posts nothing new', async () => {
  const file = join(dir, 'body.json');
  writeFileSync(file, JSON.stringify(mention({ id: 'from-file-1' }), null, 2));
  const first = await runScript('send-sample.ts', ['--file', file, '--url', h.base], env());
  expect(first.code).toBe(0);
  expect(first.stdout).toContain('202 {"accepted":1,"duplicates":0,"mentions":[{"id":"from-file-1","duplicate":false}]}');
  await h.slack.waitFor(() => cards().length === 1, 5000, 'the card');
  const again = await runScript('send-sample.ts', ['--file', file, '--url', h.base], env());
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('"duplicate":true');
  await new Promise((r) => setTimeout(r, 200));
  expect(cards()).toHaveLength(1);
});

test('--id reuses an id, so a sample sent twice is deduplicated', async () => {
  const before = cards().length;
  const a = await runScript('send-sample.ts', ['positive', '--id', 'demo-dup-1', '--url', h.base], env());
  const b = await runScript('send-sample.ts', ['positive', '--id', 'demo-dup-1', '--url', h.base], env());
  expect(a.stdout).toContain('"accepted":1');
  expect(b.stdout).toContain('"accepted":0,"duplicates":1');
  await h.slack.waitFor(() => cards().length === before + 1, 5000, 'one card');
});

test('--file with --mapping and a bearer token sends a tool\'s own JSON', async () => {
  const tokenBot = await startHarness({ WEBHOOK_SECRET: '', WEBHOOK_TOKEN: 'send-sample-token-0123456789abc', WEBHOOK_MAPPING: join(__dirname, '..', '..', 'scripts', 'examples', 'webhook-mapping.json') });
  try {
    const file = join(dir, 'zap.json');
    writeFileSync(file, JSON.stringify({ id: 'zap-1', handle: 'drzed', text: 'Zentiva worked well for my patient', sentiment: 'positive', query: 'Zentiva' }));
    const res = await runScript('send-sample.ts', ['--file', file, '--mapping', 'zapier', '--url', tokenBot.base], { WEBHOOK_TOKEN: 'send-sample-token-0123456789abc' });
    expect(res.stdout).toContain('202');
    await tokenBot.slack.waitFor(() => tokenBot.slack.succeeded('chat.postMessage').length === 1, 5000, 'the card');
  } finally {
    await tokenBot.close();
  }
});

test('a file that is not JSON, a missing file and no secret are clear errors, and nothing is sent', async () => {
  const before = (await h.pulse.ctx.db.kysely.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{ "id": ');
  const notJson = await runScript('send-sample.ts', ['--file', bad, '--url', h.base], env());
  expect(notJson.code).toBe(2);
  expect(notJson.stderr).toMatch(/bad\.json is not JSON/);
  const missing = await runScript('send-sample.ts', ['--file', join(dir, 'nope.json'), '--url', h.base], env());
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/No file .*nope\.json/);
  const noSecret = await runScript('send-sample.ts', ['--url', h.base], {});
  expect(noSecret.code).toBe(2);
  expect(noSecret.stderr).toMatch(/Neither WEBHOOK_SECRET nor WEBHOOK_TOKEN is set/);
  const after = (await h.pulse.ctx.db.kysely.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  expect(Number(after)).toBe(Number(before));
});
