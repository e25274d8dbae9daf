import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERT_CHANNEL, mention, outboxSettled, postMention, startHarness, type Harness } from '../support/harness';
import { testDatabase } from '../support/postgres';
import { openDatabase } from '../../src/store/db';
import { recordMention } from '../../src/store/mentions';
import { UNCLASSIFIED_COLUMNS } from '../../src/store/classification-columns';
import { businessDeadline } from '../../src/domain/business-days';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/schema';

jest.setTimeout(60_000);

const AE_TEXT = 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.';
const QUESTION = 'Has anyone combined Zentiva with methotrexate? What dose did you land on?';

/**
 * A webhook request that has sent its headers and part of its body, and waits: to the bot it
 * is in flight, as the other requests of a flood are.
 */
function holdRequest(base: string): { done: Promise<number>; finish: () => void } {
  const req = request(`${base}/webhooks/mentions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '2' } });
  const done = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.write('{');
  return { done, finish: () => req.end('}') };
}

/** What the store holds for each mention: its status, its alert cards queued, its logged audit lines, its PV case. */
async function ledger(db: Kysely<Database>) {
  const mentions = await db.selectFrom('mentions').select(['id', 'external_id', 'status', 'sentiment', 'adverse_event', 'medical_question', 'classification']).orderBy('id').execute();
  const cards = await db.selectFrom('outbox').select(['dedupe_key', 'channel']).where('kind', '=', 'alert_card').execute();
  const audits = await db.selectFrom('audit').select(['mention_id']).where('action', '=', 'mention.logged').execute();
  const cases = await db.selectFrom('pv_cases').select(['mention_id']).execute();
  const slas = await db.selectFrom('reminders').select(['mention_id']).where('kind', '=', 'response_sla').execute();
  const count = (rows: { mention_id: number | null }[], id: number) => rows.filter((r) => r.mention_id === id).length;
  return mentions.map((m) => ({
    id: m.external_id,
    status: m.status,
    sentiment: m.sentiment,
    adverseEvent: m.adverse_event,
    medicalQuestion: m.medical_question,
    classified: m.classification !== null,
    alertCards: cards.filter((c) => c.dedupe_key === `card:alert:${m.id}` && c.channel === ALERT_CHANNEL).length,
    logged: count(audits, m.id),
    pvCases: count(cases, m.id),
    responseClocks: count(slas, m.id),
  }));
}

/** What /metrics says of the mentions waiting for their classification (read from the database at scrape). */
async function unclassifiedOnMetrics(h: Harness): Promise<{ count: number; oldest: number }> {
  const text = await (await fetch(`${h.base}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  return { count: value('hcp_pulse_mentions_unclassified'), oldest: value('hcp_pulse_mentions_unclassified_oldest_age_seconds') };
}

describe('a flood: posts are stored first and classified after the answer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  test('posts accepted while another request is in flight get their cards, PV case and clocks once', async () => {
    const held = holdRequest(h.base);
    // In flight once the bot has its first bytes: waited for, not guessed (a fixed 200 ms was
    // too short on a loaded machine, and the posts then took the quiet path).
    for (const started = Date.now(); h.pulse.ctx.received.requestsInFlight() !== 1; await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() - started > 10_000) throw new Error('the held request never reached the bot');
    }
    const posts = [mention({ id: 'flood-ae', text: AE_TEXT }), mention({ id: 'flood-mq', text: QUESTION }), mention({ id: 'flood-plain' })];
    const answers = await Promise.all(posts.map((p) => postMention(h.base, p)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answers.map((a) => a.json.mentions[0])).toEqual(posts.map((p) => ({ id: p.id, duplicate: false })));
    // They went the flood's way: stored as received, answered, classified afterwards.
    expect((await h.pulse.ctx.metrics.mentionsDeferred.get()).values[0]!.value).toBe(3);

    // The same post sent again while it waits is a duplicate, not a second mention.
    const again = await postMention(h.base, posts[0]);
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 1 });

    held.finish();
    expect(await held.done).toBe(401); // unsigned: refused, and no longer in flight

    await h.slack.waitFor(() => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL).length === 3, 15_000, 'the three cards');
    await outboxSettled(h);
    const rows = await ledger(h.pulse.ctx.db.kysely);
    expect(rows).toEqual([
      expect.objectContaining({ id: 'flood-ae', status: 'open', adverseEvent: 1, classified: true, alertCards: 1, logged: 1, pvCases: 1, responseClocks: 1 }),
      expect.objectContaining({ id: 'flood-mq', status: 'open', medicalQuestion: 1, classified: true, alertCards: 1, logged: 1, pvCases: 0, responseClocks: 1 }),
      expect.objectContaining({ id: 'flood-plain', status: 'open', sentiment: 'positive', adverseEvent: 0, classified: true, alertCards: 1, logged: 1, pvCases: 0, responseClocks: 1 }),
    ]);
    // The possible adverse event was sent first (priority), though it arrived with the others.
    const first = h.slack.succeeded('chat.postMessage').find((c) => c.args.channel === ALERT_CHANNEL)!;
    expect(String(first.args.text)).toMatch(/adverse event/i);
    expect(await unclassifiedOnMetrics(h)).toEqual({ count: 0, oldest: 0 });
  });

  test('a post alone is classified before the answer, as always', async () => {
    const res = await postMention(h.base, mention({ id: 'alone' }));
    expect(res.status).toBe(202);
    // Its card was queued in the same commit as the mention: nothing waits.
    const rows = await ledger(h.pulse.ctx.db.kysely);
    expect(rows).toEqual([expect.objectContaining({ id: 'alone', status: 'open', classified: true, alertCards: 1, logged: 1 })]);
    expect((await h.pulse.ctx.metrics.mentionsDeferred.get()).values[0]!.value).toBe(0);
  });
});

test('mentions a crash left received are classified and carded once at the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-received-'));
  const database = await testDatabase(dir);
  let h: Harness | undefined;
  try {
    // The state a bot leaves when it is killed after answering 202 and before classifying,
    // and is not started again for four days.
    const db = await openDatabase(database.url);
    const at = new Date(Date.now() - 4 * 86_400_000).toISOString();
    for (const [id, text] of [
      ['left-1', AE_TEXT],
      ['left-2', 'Switched two of my patients to Zentiva this month. Really impressed with how well it is tolerated so far.'],
    ]) {
      await recordMention(db.kysely, {
        source: 'x',
        external_id: id!,
        url: null,
        author_handle: 'drjane',
        author_name: 'Dr. Jane Doe',
        text: text!,
        text_from_reporter: 0,
        posted_at: at,
        received_at: at,
        product: 'Zentiva',
        via: 'webhook',
        reported_by: null,
        ...UNCLASSIFIED_COLUMNS,
        status: 'received',
        assignee: null,
        version: 1,
        updated_at: at,
      });
    }
    await db.close();

    h = await startHarness({ DATABASE_URL: database.url });
    // Cards, not the thread replies that follow them (their response time ran out days ago).
    const cards = () => h!.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL && !c.args.thread_ts);
    await h.slack.waitFor(() => cards().length === 2, 15_000, 'both cards');
    await outboxSettled(h);
    await new Promise((r) => setTimeout(r, 500));
    expect(cards()).toHaveLength(2);
    // The PV and response clocks ran from the posts' arrival, not from the restart.
    const config = h.pulse.ctx.config;
    const pvCase = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').select('deadline_at').executeTakeFirstOrThrow();
    expect(pvCase.deadline_at).toBe(businessDeadline(new Date(at), config.pv.deadlineBusinessDays, config.pv).toISOString());
    const slas = await h.pulse.ctx.db.kysely.selectFrom('reminders').select('due_at').where('kind', '=', 'response_sla').execute();
    expect(slas.map((r) => r.due_at)).toEqual([0, 1].map(() => new Date(Date.parse(at) + config.responseSlaHours * 3_600_000).toISOString()));
    expect(await unclassifiedOnMetrics(h)).toEqual({ count: 0, oldest: 0 });
    expect(await ledger(h.pulse.ctx.db.kysely)).toEqual([
      expect.objectContaining({ id: 'left-1', status: 'open', adverseEvent: 1, alertCards: 1, logged: 1, pvCases: 1 }),
      expect.objectContaining({ id: 'left-2', status: 'open', sentiment: 'positive', alertCards: 1, logged: 1, pvCases: 0 }),
    ]);
  } finally {
    await h?.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
