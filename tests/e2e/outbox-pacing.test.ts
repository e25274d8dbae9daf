import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { ALERT_CHANNEL, cardText, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction } from '../support/slack-requests';
import { openDatabase, type Db } from '../../src/store/db';
import { claimSendable, paceChannel, queueAlertCard, queueCardUpdate } from '../../src/store/outbox';
import { RANK } from '../../src/store/outbox-keys';

/**
 * The outbox claims only what may be sent now: one post per channel per pacing gap, the most
 * urgent first, updates in place beside the posts, and no write for an entry that waits.
 */

const AE_TEXT = 'My patient developed a severe rash ten days after starting Zentiva. Stopped it, resolving now.';

// SQLite-specific (the last test reads the file through a second connection): a SQLite file in
// both passes. The claim on PostgreSQL is exercised by postgres.test.ts and several-instances.test.ts.
describe('the claim (store, real SQLite file)', () => {
  let dir: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-claim-'));
    db = await openDatabase(`file:${join(dir, 'claim.db')}`);
    await db.kysely
      .insertInto('mentions')
      .values(
        Array.from({ length: 8 }, (_, i) => ({
          source: 'x', external_id: `m${i}`, author_handle: 'a', text: 't', text_from_reporter: 0, posted_at: '2026-01-01T00:00:00Z', received_at: '2026-01-01T00:00:00Z',
          via: 'webhook', sentiment: 'neutral', sentiment_score: 0, sentiment_cues: '[]', adverse_event: 0, adverse_event_cues: '{}', status: 'open', version: 1, updated_at: '2026-01-01T00:00:00Z',
        })),
      )
      .execute();
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const opts = { dialect: 'sqlite' as const, leaseMs: 60_000, limit: 32, inFlightHoldMs: 15_000 };

  test('one post per channel per gap, most urgent first, updates beside them; a waiting entry is not written', async () => {
    const t0 = new Date('2026-12-01T10:00:00Z');
    for (let i = 1; i <= 4; i++) await queueAlertCard(db.kysely, { mentionId: i, channel: 'C0BUSY', role: 'alert', rank: RANK.routine }, t0);
    await queueAlertCard(db.kysely, { mentionId: 5, channel: 'C0BUSY', role: 'alert', rank: RANK.adverseEvent }, t0);
    await queueAlertCard(db.kysely, { mentionId: 6, channel: 'C0QUIET', role: 'alert', rank: RANK.routine }, t0);
    await queueCardUpdate(db.kysely, { mentionId: 7, channel: 'C0BUSY', ts: '1.1', role: 'alert', version: 2 }, t0);

    const first = await claimSendable(db.kysely, t0, opts);
    const summary = (rows: typeof first) => rows.map((r) => `${r.kind}:${JSON.parse(r.payload).mentionId}:${r.channel}`).sort();
    expect(summary(first)).toEqual(['alert_card:5:C0BUSY', 'alert_card:6:C0QUIET', 'card_update:7:C0BUSY']);

    // While its post is in flight the channel takes no other, and waiting entries are never touched.
    expect(await claimSendable(db.kysely, new Date(t0.getTime() + 500), opts)).toEqual([]);
    const waiting = await db.kysely.selectFrom('outbox').select(['attempts', 'locked_until', 'in_flight']).where('id', 'not in', first.map((r) => r.id)).execute();
    expect(waiting).toHaveLength(4);
    for (const w of waiting) expect(w).toEqual({ attempts: 0, locked_until: null, in_flight: 0 });

    // Slack answered at +200 ms: the channel's next post may go a second after that, not before.
    await paceChannel(db.kysely, 'C0BUSY', new Date(t0.getTime() + 1200));
    expect(await claimSendable(db.kysely, new Date(t0.getTime() + 1100), opts)).toEqual([]);
    const second = await claimSendable(db.kysely, new Date(t0.getTime() + 1200), opts);
    expect(summary(second)).toEqual(['alert_card:1:C0BUSY']);
  });

  test('a row written through the claim is visible to a second connection only once committed', async () => {
    const t0 = new Date('2026-12-01T10:00:00Z');
    await queueAlertCard(db.kysely, { mentionId: 1, channel: 'C0X', role: 'alert', rank: RANK.routine }, t0);
    const [claimed] = await claimSendable(db.kysely, t0, opts);
    const other = new SqliteDatabase(join(dir, 'claim.db'), { readonly: true });
    try {
      const row = other.prepare('select in_flight, attempts, locked_until from outbox where id = ?').get(claimed!.id) as Record<string, unknown>;
      expect(row).toMatchObject({ in_flight: 1, attempts: 1 });
      expect(row.locked_until).not.toBeNull();
    } finally {
      other.close();
    }
  });
});

describe('the bot with a backlog in one channel (HTTP, Slack double)', () => {
  let h: Harness;
  beforeAll(async () => {
    // Pacing itself, with no burst folding (tests/e2e/burst-rollup.test.ts folds).
    h = await startHarness({ PV_CHANNEL_ID: '', BURST_HOLD_SECONDS: '3600' });
  });
  afterAll(() => h.close());

  const alertPosts = () => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL && !c.args.thread_ts); // cards, not their thread lines

  test('a possible adverse event jumps the queue, a click updates its card before the backlog drains, and waiting cards are never touched', async () => {
    const routine = Array.from({ length: 12 }, (_, i) => mention({ id: `backlog-${i}`, text: `Nice talk about Zentiva at the congress today, number ${i}.` }));
    expect((await postMention(h.base, { mentions: routine })).status).toBe(202);
    expect((await postMention(h.base, mention({ id: 'backlog-ae', text: AE_TEXT }))).status).toBe(202);

    // Cards go out one per second: the adverse event is among the first two.
    await h.slack.waitFor(() => alertPosts().length >= 2, 8000, 'two cards');
    const firstTwo = alertPosts().slice(0, 2).map((c) => String(c.args.text));
    expect(firstTwo.some((t) => /adverse event/i.test(t) || t.includes('rash'))).toBe(true);

    // Entries waiting their turn have never been claimed or written.
    const waiting = await h.pulse.ctx.db.kysely.selectFrom('outbox').select(['attempts', 'locked_until']).where('status', '=', 'pending').where('kind', '=', 'alert_card').execute();
    expect(waiting.length).toBeGreaterThanOrEqual(8);
    expect(waiting.filter((w) => w.attempts > 0 || w.locked_until !== null).length).toBeLessThanOrEqual(1);

    // A click on the first card is answered in place while the channel still has a backlog.
    const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL)!;
    expect((await sendInteraction(h.base, clickOn({ channel: card.channel, ts: card.ts, blocks: card.blocks }, 'Assign to me', 'U0REP1'))).status).toBe(200);
    await h.slack.waitFor(() => h.slack.succeeded('chat.update').length >= 1, 8000, 'the card update');
    expect(cardText(card.blocks)).toContain('Assigned to <@U0REP1>');
    expect(alertPosts().length).toBeLessThan(13);

    // And the backlog still drains completely, each card once.
    await h.slack.waitFor(() => alertPosts().length === 13, 30_000, 'every card');
    await new Promise((r) => setTimeout(r, 1200));
    expect(alertPosts()).toHaveLength(13);
  }, 60_000);
});
