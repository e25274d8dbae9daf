import type { Db } from '../../src/store/db';
import { recordMention, upsertHcp } from '../../src/store/mentions';
import { completeFollowUp, findFollowUp, openFollowUpsFor, scheduleOutreachReminder, scheduleReminder } from '../../src/store/reminders';
import type { NewMentionRow } from '../../src/store/schema';
import { BOTH_STORES, storeFor } from '../support/store-db';

/**
 * Whose list a reminder is on (/hcp followups, App Home), on a real SQLite file and on the
 * real PostgreSQL server: an alert's follow-up is its assignee's (else the roster owner's); an
 * outreach reminder is only ever the rep's who set it.
 */
const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();

let n = 0;
const mentionRow = (over: Partial<NewMentionRow> = {}): NewMentionRow => ({
  source: 'x',
  external_id: `post-${++n}`,
  url: null,
  author_handle: 'drjane',
  author_name: 'Dr. Jane Doe',
  text: 'Zentiva has been a letdown.',
  text_from_reporter: 0,
  posted_at: T0.toISOString(),
  received_at: T0.toISOString(),
  product: 'Zentiva',
  via: 'webhook',
  reported_by: null,
  sentiment: 'negative',
  sentiment_score: -0.5,
  sentiment_cues: '[]',
  adverse_event: 0,
  adverse_event_cues: '{}',
  classification: null,
  status: 'open',
  version: 1,
  updated_at: T0.toISOString(),
  ...over,
});

describe.each(BOTH_STORES)('follow-up lists on %s', (_name, open) => {
  let db: Db;
  storeFor(open, 'file', (opened) => (db = opened));

  test('a rep sees the follow-ups of alerts they have or own, and only their own outreach reminders, soonest first', async () => {
    await upsertHcp(db.kysely, { handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: 'U0OWNER', updated_at: T0.toISOString() });
    const owned = (await recordMention(db.kysely, mentionRow()))!.id;
    const taken = (await recordMention(db.kysely, mentionRow({ assignee: 'U0REP1' })))!.id;
    const ownedFollowUp = await scheduleReminder(db.kysely, { mentionId: owned, kind: 'follow_up', dueAt: at(30), instruction: 'Check in.' }, T0);
    const takenFollowUp = await scheduleReminder(db.kysely, { mentionId: taken, kind: 'follow_up', dueAt: at(10), instruction: 'Check in.' }, T0);
    const mine = await scheduleOutreachReminder(db.kysely, { mentionId: owned, recipient: 'U0REP1', dueAt: at(20), instruction: 'Reach out to Dr. Bob.', key: 'sphere:a' }, T0);
    const theirs = await scheduleOutreachReminder(db.kysely, { mentionId: taken, recipient: 'U0REP2', dueAt: at(5), instruction: 'Reach out to Dr. Carol.', key: 'sphere:b' }, T0);
    // An SLA escalation is a thread reply, never on anyone's list.
    await scheduleReminder(db.kysely, { mentionId: taken, kind: 'response_sla', dueAt: at(1), instruction: 'Escalate.' }, T0);

    const list = async (user: string) => (await openFollowUpsFor(db.kysely, user, 10)).rows.map((r) => [r.id, r.kind]);
    expect(await list('U0REP1')).toEqual([
      [takenFollowUp, 'follow_up'],
      [mine.id, 'sphere_outreach'],
    ]);
    expect(await list('U0OWNER')).toEqual([[ownedFollowUp, 'follow_up']]);
    expect(await list('U0REP2')).toEqual([[theirs.id, 'sphere_outreach']]);
    expect((await openFollowUpsFor(db.kysely, 'U0REP1', 1)).total).toBe(2);
    expect((await findFollowUp(db.kysely, mine.id))?.kind).toBe('sphere_outreach');

    // Completed: off the list.
    expect(await completeFollowUp(db.kysely, mine.id, 'U0REP1', new Date(at(40)))).toBe(true);
    expect(await list('U0REP1')).toEqual([[takenFollowUp, 'follow_up']]);
  });
});
