import { z } from 'zod';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxRow } from './schema';
import { cardEventSchema } from '../domain/card-events';
import type { Dialect } from './db';
import { prepared } from './prepared';
import { laneOf, OUTBOX_STATUS, outboxKey, RANK, type Rank } from './outbox-keys';

/**
 * Effects on Slack, queued in the same transaction as the state change that causes them.
 * A crash or a Slack outage only delays them; the unique dedupe key (outbox-keys.ts) makes
 * queueing idempotent. How to add a kind: see outbox-keys.ts.
 */
export const outboxPayloadSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alert_card'),
    mentionId: z.number().int(),
    channel: z.string(),
    role: z.enum(['alert', 'pv']),
  }),
  // Re-renders a posted card from the mention's current state (chat.update, same ts).
  z.object({
    kind: z.literal('card_update'),
    mentionId: z.number().int(),
    channel: z.string(),
    ts: z.string(),
    role: z.enum(['alert', 'pv']),
  }),
  // The bot's answer in the thread of a rep's forwarded post: a link to the alert card,
  // sent once that card has been posted.
  z.object({
    kind: z.literal('intake_reply'),
    mentionId: z.number().int(),
    channel: z.string(),
    threadTs: z.string(),
    duplicate: z.boolean(),
  }),
  // A due reminder: a DM to its rep, or a reply in the alert's thread.
  z.object({
    kind: z.literal('reminder'),
    reminderId: z.number().int(),
    channel: z.string(),
    threadTs: z.string().optional(),
  }),
  // Re-renders a delivered reminder message (Snoozed until…, Completed by…).
  z.object({
    kind: z.literal('reminder_update'),
    reminderId: z.number().int(),
    channel: z.string(),
    ts: z.string(),
  }),
  // The PV case message in PV_CHANNEL_ID, with PV's controls.
  z.object({
    kind: z.literal('pv_case'),
    caseId: z.number().int(),
    channel: z.string(),
  }),
  // Re-renders the PV case message from the case's current state (chat.update, same ts).
  z.object({
    kind: z.literal('pv_case_update'),
    caseId: z.number().int(),
    channel: z.string(),
    ts: z.string(),
  }),
  // PV missed the deadline: said once in the PV message's thread (threadTs), and once to the
  // rep who owns the card (channel is their user id, no threadTs).
  z.object({
    kind: z.literal('pv_escalation'),
    caseId: z.number().int(),
    channel: z.string(),
    threadTs: z.string().optional(),
  }),
  // A medical question referred to MEDICAL_CHANNEL_ID, with Medical's Answered control.
  z.object({
    kind: z.literal('medical_referral'),
    referralId: z.number().int(),
    channel: z.string(),
  }),
  z.object({
    kind: z.literal('medical_referral_update'),
    referralId: z.number().int(),
    channel: z.string(),
    ts: z.string(),
  }),
  // One line in an alert card's thread telling what happened (assigned, drafted, a note…).
  z.object({
    kind: z.literal('thread_line'),
    mentionId: z.number().int(),
    channel: z.string(),
    threadTs: z.string(),
    event: cardEventSchema,
  }),
  // A burst's roll-up message in a channel (store/rollups.ts), and its refresh in place.
  z.object({
    kind: z.literal('rollup'),
    rollupId: z.number().int(),
    channel: z.string(),
  }),
  z.object({
    kind: z.literal('rollup_update'),
    rollupId: z.number().int(),
    channel: z.string(),
    ts: z.string(),
  }),
  // A page of the roll-up's thread listing its posts (threadTs: the roll-up message), and its refresh.
  z.object({
    kind: z.literal('rollup_page'),
    rollupId: z.number().int(),
    page: z.number().int(),
    channel: z.string(),
    threadTs: z.string(),
  }),
  z.object({
    kind: z.literal('rollup_page_update'),
    rollupId: z.number().int(),
    page: z.number().int(),
    channel: z.string(),
    ts: z.string(),
  }),
  // A direct message to a rep (e.g. the drafted email); channel is the user id.
  z.object({
    kind: z.literal('dm'),
    channel: z.string(),
    text: z.string(),
    blocks: z.array(z.unknown()),
  }),
]);
export type OutboxPayload = z.output<typeof outboxPayloadSchema>;

type Q = Kysely<Database>;

/**
 * Queues one effect. Prefer the intent-named verbs below; this is what they share. A new
 * post's channel gets a pacing row (ready at once) so the claim can find it.
 */
export async function queueEffect(db: Q, key: string, payload: OutboxPayload, now: Date, rank: Rank = RANK.rep, notBefore?: Date): Promise<void> {
  const lane = laneOf(payload.kind);
  const nowIso = now.toISOString();
  const nextAttemptAt = notBefore && notBefore > now ? notBefore.toISOString() : nowIso;
  await QUEUE_EFFECT.run(db, [key, payload.kind, JSON.stringify(payload), OUTBOX_STATUS.pending, 0, nextAttemptAt, 0, nowIso, lane, payload.channel, rank]);
  if (lane === 'post') await PACE_CHANNEL.run(db, [payload.channel, EPOCH]);
}
// Every webhook mention queues its card: written once rather than built per call (prepared.ts).
const QUEUE_EFFECT = prepared(
  `insert into "outbox" ("dedupe_key", "kind", "payload", "status", "attempts", "next_attempt_at", "in_flight", "created_at", "lane", "channel", "rank")
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict ("dedupe_key") do nothing`,
);
const PACE_CHANNEL = prepared('insert into "outbox_channels" ("channel", "ready_at") values (?, ?) on conflict ("channel") do nothing');
const EPOCH = new Date(0).toISOString();

type Role = 'alert' | 'pv';

/** A mention's card for its channel (role alert) or the PV channel (role pv). */
export const queueAlertCard = (db: Q, a: { mentionId: number; channel: string; role: Role; rank: Rank }, now: Date) =>
  queueEffect(db, outboxKey.alertCard(a.mentionId, a.role), { kind: 'alert_card', mentionId: a.mentionId, channel: a.channel, role: a.role }, now, a.rank);

/** The posted card shows the mention's state at `version`. */
export const queueCardUpdate = (db: Q, a: { mentionId: number; channel: string; ts: string; role: Role; version: number }, now: Date) =>
  queueEffect(db, outboxKey.cardUpdate(a.mentionId, a.role, a.version), { kind: 'card_update', mentionId: a.mentionId, channel: a.channel, ts: a.ts, role: a.role }, now);

/** The card shows a follow-up's new state (its version did not change). */
export const queueCardRefreshForReminder = (db: Q, a: { mentionId: number; reminderId: number; channel: string; ts: string }, now: Date) =>
  queueEffect(db, outboxKey.cardRefreshForReminder(a.mentionId, a.reminderId, now), { kind: 'card_update', mentionId: a.mentionId, channel: a.channel, ts: a.ts, role: 'alert' }, now);

export const queueIntakeReply = (db: Q, a: { mentionId: number; channel: string; threadTs: string; duplicate: boolean }, now: Date) =>
  queueEffect(db, outboxKey.intakeReply(a.channel, a.threadTs, a.mentionId), { kind: 'intake_reply', ...a }, now);

/** A due reminder: a DM (channel = user id) or a reply in the alert's thread. */
export const queueReminder = (db: Q, a: { reminderId: number; dueAt: string; channel: string; threadTs?: string }, now: Date) =>
  queueEffect(
    db,
    outboxKey.reminder(a.reminderId, a.dueAt),
    a.threadTs ? { kind: 'reminder', reminderId: a.reminderId, channel: a.channel, threadTs: a.threadTs } : { kind: 'reminder', reminderId: a.reminderId, channel: a.channel },
    now,
  );

export const queueReminderUpdate = (db: Q, a: { reminderId: number; channel: string; ts: string }, now: Date) =>
  queueEffect(db, outboxKey.reminderUpdate(a.reminderId, now), { kind: 'reminder_update', ...a }, now);

/** The rep's drafted email in their DM; `viewKey` (the modal's view id) makes a resubmission harmless. */
export const queueEmailDraftDm = (db: Q, a: { viewKey: string; user: string; text: string; blocks: unknown[] }, now: Date) =>
  queueEffect(db, outboxKey.emailDraftDm(a.viewKey), { kind: 'dm', channel: a.user, text: a.text, blocks: a.blocks }, now);

/** A possible adverse event's case message for PV (as urgent as the rep's card). */
export const queuePvCaseMessage = (db: Q, a: { caseId: number; channel: string }, now: Date) =>
  queueEffect(db, outboxKey.pvCase(a.caseId), { kind: 'pv_case', caseId: a.caseId, channel: a.channel }, now, RANK.adverseEvent);

/** The PV message shows the case's state at `version`. */
export const queuePvCaseUpdate = (db: Q, a: { caseId: number; channel: string; ts: string; version: number }, now: Date) =>
  queueEffect(db, outboxKey.pvCaseUpdate(a.caseId, a.version), { kind: 'pv_case_update', caseId: a.caseId, channel: a.channel, ts: a.ts }, now);

/** The missed deadline, said in the PV message's thread and, when the card has an owner, to that rep. */
export async function queuePvEscalation(db: Q, a: { caseId: number; channel: string; threadTs: string; rep: string | null }, now: Date): Promise<void> {
  await queueEffect(db, outboxKey.pvEscalation(a.caseId), { kind: 'pv_escalation', caseId: a.caseId, channel: a.channel, threadTs: a.threadTs }, now, RANK.adverseEvent);
  if (a.rep) await queueEffect(db, outboxKey.pvEscalationDm(a.caseId), { kind: 'pv_escalation', caseId: a.caseId, channel: a.rep }, now, RANK.adverseEvent);
}

/** A medical question referred to Medical Information's channel. */
export const queueMedicalReferral = (db: Q, a: { referralId: number; channel: string }, now: Date) =>
  queueEffect(db, outboxKey.medicalReferral(a.referralId), { kind: 'medical_referral', referralId: a.referralId, channel: a.channel }, now, RANK.medicalQuestion);

export const queueMedicalReferralUpdate = (db: Q, a: { referralId: number; channel: string; ts: string; version: number }, now: Date) =>
  queueEffect(db, outboxKey.medicalReferralUpdate(a.referralId, a.version), { kind: 'medical_referral_update', referralId: a.referralId, channel: a.channel, ts: a.ts }, now);

/** One line in an alert card's thread telling what happened; once per `eventKey`. */
export const queueThreadLine = (db: Q, a: { mentionId: number; channel: string; threadTs: string; eventKey: string; event: z.output<typeof cardEventSchema> }, now: Date) =>
  queueEffect(db, outboxKey.threadLine(a.mentionId, a.eventKey), { kind: 'thread_line', mentionId: a.mentionId, channel: a.channel, threadTs: a.threadTs, event: a.event }, now);

/**
 * A thread line for a card that is not recorded yet: Slack may already show the card (a click
 * can land between Slack's answer and our commit of its ts), or it is still queued or folded.
 * Kept, unclaimable, until `releaseThreadLinesOf` learns where the card is; once per `eventKey`.
 */
export async function holdThreadLineForCard(db: Q, a: { mentionId: number; eventKey: string; event: z.output<typeof cardEventSchema> }, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  await db
    .insertInto('outbox')
    .values({
      dedupe_key: outboxKey.threadLine(a.mentionId, a.eventKey),
      kind: 'thread_line',
      // The thread is filled in on release; until then the entry is never claimed or parsed.
      payload: JSON.stringify({ kind: 'thread_line', mentionId: a.mentionId, event: a.event }),
      status: OUTBOX_STATUS.waitingCard,
      attempts: 0,
      next_attempt_at: nowIso,
      in_flight: 0,
      created_at: nowIso,
      lane: laneOf('thread_line'),
      channel: '',
      rank: RANK.rep,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** The card is in Slack at (channel, ts): its held thread lines are queued, oldest first. */
export async function releaseThreadLinesOf(db: Q, mentionId: number, channel: string, ts: string, now: Date): Promise<number> {
  const held = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where('status', '=', OUTBOX_STATUS.waitingCard)
    .where('dedupe_key', 'like', `${outboxKey.threadLine(mentionId, '')}%`)
    .orderBy('id')
    .execute();
  for (const h of held) {
    const payload = { ...(JSON.parse(h.payload) as object), channel, threadTs: ts };
    await db
      .updateTable('outbox')
      .set({ status: OUTBOX_STATUS.pending, payload: JSON.stringify(payload), channel, next_attempt_at: now.toISOString() })
      .where('id', '=', h.id)
      .where('status', '=', OUTBOX_STATUS.waitingCard)
      .execute();
  }
  if (held.length > 0) {
    await db.insertInto('outbox_channels').values({ channel, ready_at: new Date(0).toISOString() }).onConflict((oc) => oc.column('channel').doNothing()).execute();
  }
  return held.length;
}

/** A burst's roll-up message (after the channel's priority cards, before routine ones). */
export const queueRollup = (db: Q, a: { rollupId: number; channel: string }, now: Date) =>
  queueEffect(db, outboxKey.rollup(a.rollupId), { kind: 'rollup', rollupId: a.rollupId, channel: a.channel }, now, RANK.rollup);

/** The posted roll-up shows the roll-up at `version` (not before `notBefore`: refreshes are spaced). */
export const queueRollupUpdate = (db: Q, a: { rollupId: number; channel: string; ts: string; version: number }, now: Date, notBefore?: Date) =>
  queueEffect(db, outboxKey.rollupUpdate(a.rollupId, a.version), { kind: 'rollup_update', rollupId: a.rollupId, channel: a.channel, ts: a.ts }, now, RANK.rollup, notBefore);

/** A page of the roll-up's thread; a reply counts against the channel's pacing like any post. */
export const queueRollupPage = (db: Q, a: { rollupId: number; page: number; channel: string; threadTs: string }, now: Date) =>
  queueEffect(db, outboxKey.rollupPage(a.rollupId, a.page), { kind: 'rollup_page', ...a }, now, RANK.rollup);

/** The posted page shows the page at `version`. */
export const queueRollupPageUpdate = (db: Q, a: { rollupId: number; page: number; channel: string; ts: string; version: number }, now: Date, notBefore?: Date) =>
  queueEffect(
    db,
    outboxKey.rollupPageUpdate(a.rollupId, a.page, a.version),
    { kind: 'rollup_page_update', rollupId: a.rollupId, page: a.page, channel: a.channel, ts: a.ts },
    now,
    RANK.rollup,
    notBefore,
  );

/**
 * Whether a refresh of this roll-up message (or page) is already waiting and not yet rendered:
 * it renders the state current when it is sent, so another one would only spend chat.update's
 * budget (Tier 3, about 50 a minute) during a burst.
 */
export async function refreshWaiting(db: Q, a: { kind: 'rollup_update' | 'rollup_page_update'; channel: string; rollupId: number; page?: number }): Promise<boolean> {
  const waiting = await db
    .selectFrom('outbox')
    .select('payload')
    .where('status', '=', OUTBOX_STATUS.pending)
    .where('lane', '=', 'update')
    .where('kind', '=', a.kind)
    .where('channel', '=', a.channel)
    .where('in_flight', '=', 0)
    .execute();
  return waiting.some((w) => {
    const p = JSON.parse(w.payload) as { rollupId?: number; page?: number };
    return p.rollupId === a.rollupId && (a.page === undefined || p.page === a.page);
  });
}

export interface ClaimOptions {
  dialect: Dialect;
  leaseMs: number;
  /** Most entries claimed at once (update lane and ready channels together). */
  limit: number;
  /**
   * How long a channel is held while its post is in flight; the outcome then paces it
   * (`paceChannel`) from the moment Slack answered.
   */
  inFlightHoldMs: number;
  /** Skip the post lane (e.g. while Slack rate-limits chat.postMessage) or the update lane. */
  lanes?: { post: boolean; update: boolean };
  /**
   * Runs in the claim's transaction for each channel about to take a post, before its next
   * post is chosen (store/rollups.ts, burstFolder): folds a burst's low-priority cards into a
   * roll-up. Returns how many it folded.
   */
  fold?: (trx: Transaction<Database>, channel: string, now: Date) => Promise<number>;
  /** Set once the claim has committed: how many cards its folds took. */
  stats?: { folded: number };
}

/**
 * Claims what may be sent now, in one short transaction: updates in place (never behind a
 * channel's posts), and for each channel whose pacing allows a new message, its most urgent
 * due post; that channel is then held until the post's outcome. Nothing is written for an entry
 * that must wait. Each claimed entry is leased and marked in flight (its outcome is unknown
 * until recorded), with its attempt counted. On PostgreSQL, rows another instance is
 * claiming are skipped (`FOR UPDATE SKIP LOCKED`).
 */
export type ClaimedEntry = OutboxRow & {
  /** An earlier attempt's outcome is unknown (a crash or timeout mid-send): look before posting. */
  interrupted: boolean;
};

/** A lane's entries that are due and not leased, most urgent first. */
const dueEntries = (db: Q, lane: 'post' | 'update', nowIso: string) =>
  db
    .selectFrom('outbox')
    .select(['id', 'in_flight'])
    .where('status', '=', OUTBOX_STATUS.pending)
    .where('lane', '=', lane)
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .orderBy('rank')
    .orderBy('id');

export async function claimSendable(db: Q, now: Date, o: ClaimOptions): Promise<ClaimedEntry[]> {
  const nowIso = now.toISOString();
  const pg = o.dialect === 'postgres';
  const lanes = o.lanes ?? { post: true, update: true };
  let folded = 0;
  const claimed = await db.transaction().execute(async (trx) => {
    const ids: number[] = [];
    const interrupted = new Set<number>();
    if (lanes.update) {
      const updates = await dueEntries(trx, 'update', nowIso)
        .limit(o.limit)
        .$if(pg, (qb) => qb.forUpdate().skipLocked())
        .execute();
      for (const r of updates) {
        ids.push(r.id);
        if (r.in_flight === 1) interrupted.add(r.id);
      }
    }
    const paced: string[] = [];
    if (lanes.post && ids.length < o.limit) {
      const channels = await trx
        .selectFrom('outbox_channels as c')
        .select('c.channel')
        .where('c.ready_at', '<=', nowIso)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('outbox as o')
              .select('o.id')
              .where('o.status', '=', OUTBOX_STATUS.pending)
              .where('o.lane', '=', 'post')
              .whereRef('o.channel', '=', 'c.channel')
              .where('o.next_attempt_at', '<=', nowIso)
              .where((eb) => eb.or([eb('o.locked_until', 'is', null), eb('o.locked_until', '<', nowIso)])),
          ),
        )
        .orderBy('c.ready_at')
        .limit(o.limit - ids.length)
        .$if(pg, (qb) => qb.forUpdate().skipLocked())
        .execute();
      for (const { channel } of channels) {
        if (o.fold) folded += await o.fold(trx, channel, now);
        // The channel's most urgent post: priority cards always go before the roll-up's messages
        // (CONTRACT, Bursts), and among themselves by rank (adverse event, medical question…).
        const next = await dueEntries(trx, 'post', nowIso)
          .where('channel', '=', channel)
          .limit(1)
          .$if(pg, (qb) => qb.forUpdate().skipLocked())
          .executeTakeFirst();
        if (!next) continue;
        ids.push(next.id);
        if (next.in_flight === 1) interrupted.add(next.id);
        paced.push(channel);
      }
    }
    if (ids.length === 0) return [];
    // Held while the post is in flight (released with the pace once Slack answers).
    if (paced.length > 0) {
      await trx
        .updateTable('outbox_channels')
        .set({ ready_at: new Date(now.getTime() + o.inFlightHoldMs).toISOString() })
        .where('channel', 'in', paced)
        .execute();
    }
    const rows = await trx
      .updateTable('outbox')
      .set((eb) => ({ locked_until: new Date(now.getTime() + o.leaseMs).toISOString(), in_flight: 1, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    // The update's own order is not the claim's: keep urgency first.
    const order = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!).map((r) => ({ ...r, interrupted: interrupted.has(r.id) }));
  });
  if (o.stats) o.stats.folded = folded;
  return claimed;
}

/** When the next claim could find something: the earliest due entry or paced channel, if any. */
export async function nextSendableAt(db: Q, now: Date): Promise<Date | null> {
  const nowIso = now.toISOString();
  const row = await db
    .selectFrom('outbox_channels as c')
    .select((eb) => eb.fn.min('c.ready_at').as('at'))
    .where('c.ready_at', '>', nowIso)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('outbox as o').select('o.id').where('o.status', '=', OUTBOX_STATUS.pending).where('o.lane', '=', 'post').whereRef('o.channel', '=', 'c.channel')),
    )
    .executeTakeFirst();
  return row?.at ? new Date(String(row.at)) : null;
}

/** A post's outcome is known: its channel may take the next one at `at` (Slack's pacing counts from here). */
export const paceChannel = (db: Q, channel: string, at: Date) =>
  db.updateTable('outbox_channels').set({ ready_at: at.toISOString() }).where('channel', '=', channel).execute();

/** The effect is on Slack: record it (inside the transaction that records what it changed). */
export const markDelivered = (db: Q, id: number, result: unknown, now: Date) =>
  db
    .updateTable('outbox')
    .set({ status: OUTBOX_STATUS.sent, sent_at: now.toISOString(), locked_until: null, in_flight: 0, result: JSON.stringify(result), last_error: null })
    .where('id', '=', id)
    .execute();

/**
 * Try again at `at`. `outcomeKnown`: Slack answered, so nothing was posted; false when the
 * outcome of an earlier interrupted send is still unknown (the entry stays in flight, so the
 * next attempt looks for the message before posting it).
 */
export const retryLater = (db: Q, id: number, at: Date, error: string, outcomeKnown = true) =>
  db
    .updateTable('outbox')
    .set({ next_attempt_at: at.toISOString(), locked_until: null, ...(outcomeKnown ? { in_flight: 0 } : {}), last_error: error })
    .where('id', '=', id)
    .execute();

/** Gives a claimed entry back untouched (e.g. the worker is stopping). */
export const releaseClaim = (db: Q, id: number, inFlightBefore: number, attemptsBefore: number) =>
  db.updateTable('outbox').set({ locked_until: null, in_flight: inFlightBefore, attempts: attemptsBefore }).where('id', '=', id).execute();

/** A card the roster's channel refused goes to another channel instead, at once. */
export async function redirectTo(db: Q, id: number, payload: OutboxPayload, now: Date, error: string): Promise<void> {
  await db
    .updateTable('outbox')
    .set({ payload: JSON.stringify(payload), channel: payload.channel, next_attempt_at: now.toISOString(), locked_until: null, in_flight: 0, last_error: error })
    .where('id', '=', id)
    .execute();
  await db
    .insertInto('outbox_channels')
    .values({ channel: payload.channel, ready_at: new Date(0).toISOString() })
    .onConflict((oc) => oc.column('channel').doNothing())
    .execute();
}

/** The effect is no longer wanted (e.g. its reminder was completed while queued). */
export const markSkipped = (db: Q, id: number, why: string) =>
  db.updateTable('outbox').set({ status: OUTBOX_STATUS.skipped, locked_until: null, in_flight: 0, last_error: why }).where('id', '=', id).execute();

export const markFailed = (db: Q, id: number, error: string) =>
  db.updateTable('outbox').set({ status: OUTBOX_STATUS.failed, locked_until: null, in_flight: 0, last_error: error }).where('id', '=', id).execute();

/** A single SQLite process owns its file: leases left by a crashed run can be taken back at once. */
export async function releaseAllLeases(db: Q): Promise<void> {
  await db.updateTable('outbox').set({ locked_until: null }).where('status', '=', OUTBOX_STATUS.pending).where('locked_until', 'is not', null).execute();
  await db.updateTable('outbox_channels').set({ ready_at: new Date(0).toISOString() }).execute();
}

export async function outboxStats(db: Q, now: Date): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', OUTBOX_STATUS.pending)
    .executeTakeFirst();
  const oldest = row?.oldest ? Date.parse(String(row.oldest)) : null;
  return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000) };
}

/** Priority names for the metrics, by the outbox's rank (lower goes first). */
export const PRIORITY_OF_RANK: Record<number, string> = Object.fromEntries(
  Object.entries(RANK).map(([name, rank]) => [rank, name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
);

/** Pending entries and the oldest one's age, per priority; every priority is listed, empty ones with 0. */
export async function outboxStatsByPriority(db: Q, now: Date): Promise<{ priority: string; depth: number; oldestAgeSeconds: number }[]> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['rank', eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', OUTBOX_STATUS.pending)
    .groupBy('rank')
    .execute();
  const byRank = new Map(rows.map((r) => [Number(r.rank), r]));
  return Object.entries(PRIORITY_OF_RANK).map(([rank, priority]) => {
    const r = byRank.get(Number(rank));
    const oldest = r?.oldest ? Date.parse(String(r.oldest)) : null;
    return { priority, depth: Number(r?.depth ?? 0), oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000) };
  });
}
