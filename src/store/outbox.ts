import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, OutboxRow } from './schema';

/**
 * Effects on Slack, queued in the same transaction as the state change that causes them.
 * A crash or a Slack outage only delays them; the unique dedupe key makes enqueueing
 * idempotent.
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

export async function enqueue(db: Q, dedupeKey: string, payload: OutboxPayload, now: Date): Promise<void> {
  await db
    .insertInto('outbox')
    .values({
      dedupe_key: dedupeKey,
      kind: payload.kind,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      in_flight: 0,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/**
 * Claims up to `limit` due entries with a lease. The conditional UPDATE is the lock: of
 * several instances racing for one entry, exactly one sees a changed row.
 */
export async function claimDue(db: Q, now: Date, leaseMs: number, limit: number): Promise<OutboxRow[]> {
  const nowIso = now.toISOString();
  const candidates = await db
    .selectFrom('outbox')
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  const claimed: OutboxRow[] = [];
  for (const { id } of candidates) {
    const row = await db
      .updateTable('outbox')
      .set({ locked_until: new Date(now.getTime() + leaseMs).toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(row);
  }
  return claimed;
}

/** Counts an attempt and notes that its outcome is unknown until recorded. */
export const markInFlight = (db: Q, id: number) =>
  db.updateTable('outbox').set((eb) => ({ in_flight: 1, attempts: eb('attempts', '+', 1) })).where('id', '=', id).execute();

/** Puts a claimed entry back for later without counting an attempt (e.g. its channel's pacing). */
export const release = (db: Q, id: number, at: Date) =>
  db.updateTable('outbox').set({ next_attempt_at: at.toISOString(), locked_until: null }).where('id', '=', id).execute();

export const markSent = (db: Q, id: number, result: unknown, now: Date) =>
  db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: now.toISOString(), locked_until: null, in_flight: 0, result: JSON.stringify(result), last_error: null })
    .where('id', '=', id)
    .execute();

export const reschedule = (db: Q, id: number, at: Date, error: string) =>
  db
    .updateTable('outbox')
    .set({ next_attempt_at: at.toISOString(), locked_until: null, in_flight: 0, last_error: error })
    .where('id', '=', id)
    .execute();

/** The effect is no longer wanted (e.g. its reminder was completed while queued). */
export const markSkipped = (db: Q, id: number, why: string) =>
  db.updateTable('outbox').set({ status: 'skipped', locked_until: null, in_flight: 0, last_error: why }).where('id', '=', id).execute();

export const markFailed = (db: Q, id: number, error: string) =>
  db.updateTable('outbox').set({ status: 'failed', locked_until: null, in_flight: 0, last_error: error }).where('id', '=', id).execute();

/** A single SQLite process owns its file: leases left by a crashed run can be taken back at once. */
export const releaseAllLeases = (db: Q) =>
  db.updateTable('outbox').set({ locked_until: null }).where('status', '=', 'pending').execute();

export async function outboxStats(db: Q, now: Date): Promise<{ depth: number; oldestAgeSeconds: number }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number>().as('depth'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const oldest = row?.oldest ? Date.parse(String(row.oldest)) : null;
  return { depth: Number(row?.depth ?? 0), oldestAgeSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000) };
}
