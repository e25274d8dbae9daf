import type { Transaction } from 'kysely';
import { SENTIMENTS, type Sentiment } from '../domain/mention';
import { DONE_REASONS, snoozeDays, type DoneReason, type SnoozeChoice } from '../domain/rep-actions';
import { replanFollowUp } from './follow-up-plan';
import { recordAudit } from '../store/audit';
import { recordLabelCorrection } from '../store/label-corrections';
import type { Classification } from '../domain/classification';
import type { CardEvent } from '../domain/card-events';
import { findHcp, findMention, lockCardPlacement, saveMentionChange } from '../store/mentions';
import { cancelOpenRemindersOf, openFollowUpsOf, scheduleReminder, snoozeFollowUp } from '../store/reminders';
import { holdThreadLineForCard, queueCardUpdate, queueEmailDraftDm, queueThreadLine as queueThreadLineEffect } from '../store/outbox';
import type { Database, MentionRow, MentionUpdate } from '../store/schema';
import type { ServiceContext } from './context';

/**
 * What reps do on an alert card. Each action is one state change in one transaction: the
 * mention's fields, an audit entry (who, what, when, before / after) and the card updates
 * queued in the outbox. Actions touch only their own fields and retry on a concurrent
 * change, so two reps clicking at once give last-writer-wins per field, never a
 * half-updated card.
 */

export class MentionNotFound extends Error {
  constructor(readonly mentionId: number) {
    super(`mention ${mentionId} no longer exists`);
  }
}

/** An action that does not apply to the mention's state; the message is shown to the rep. */
export class ActionRefused extends Error {}

type Trx = Transaction<Database>;
export type Change = {
  patch: MentionUpdate;
  after?: Record<string, unknown>;
  sideEffects?: (trx: Trx, row: MentionRow, now: Date) => Promise<Record<string, unknown> | void>;
  /** The line this change adds to the card's thread (once: keyed by the mention's new version). */
  event?: CardEvent;
};

const MAX_ATTEMPTS = 5;


export async function mutate(
  ctx: ServiceContext,
  mentionId: number,
  actor: string,
  action: string,
  decide: (row: MentionRow) => Change,
): Promise<MentionRow> {
  for (let attempt = 1; ; attempt++) {
    const now = ctx.now();
    let firstActionAfter: number | null = null;
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const row = await findMention(trx, mentionId);
      if (!row) throw new MentionNotFound(mentionId);
      const change = decide(row);
      const updated = await saveMentionChange(trx, row, change.patch, now);
      if (!updated) return null; // someone else changed it first: decide again on fresh state
      if (!row.first_action_at && updated.first_action_at) firstActionAfter = (Date.parse(updated.first_action_at) - Date.parse(updated.received_at)) / 1000;
      const extra = (await change.sideEffects?.(trx, updated, now)) ?? {};
      // first_action_at is bookkeeping for the card's layout, not part of the rep's change.
      const { first_action_at: _bookkeeping, ...patch } = change.patch;
      const before = Object.fromEntries(Object.keys(patch).map((k) => [k, row[k as keyof MentionRow]]));
      await recordAudit(trx, { actor, action, mentionId, before, after: { ...patch, ...change.after, ...extra } }, now);
      await queueCardUpdates(trx, updated, now);
      if (change.event) await queueThreadLine(trx, updated, change.event, `v${updated.version}`, now);
      return updated;
    });
    if (result) {
      ctx.kickOutbox();
      if (firstActionAfter !== null) ctx.metrics.firstAction.observe(Math.max(0, firstActionAfter));
      return result;
    }
    if (attempt >= MAX_ATTEMPTS) throw new ActionRefused('Someone else is changing this alert right now. Please try again.');
  }
}

export async function queueCardUpdates(trx: Trx, m: MentionRow, now: Date): Promise<void> {
  if (m.alert_channel && m.alert_ts) {
    await queueCardUpdate(trx, { mentionId: m.id, channel: m.alert_channel, ts: m.alert_ts, role: 'alert', version: m.version }, now);
  }
  if (m.pv_channel && m.pv_ts) {
    await queueCardUpdate(trx, { mentionId: m.id, channel: m.pv_channel, ts: m.pv_ts, role: 'pv', version: m.version }, now);
  }
}

/** Marks the first time a rep worked the alert: from then on the card shows the playbook in one line. */
const firstAction = (row: MentionRow, now: Date): MentionUpdate => (row.first_action_at ? {} : { first_action_at: now.toISOString() });

/**
 * Tells the card's thread what happened, once per `key`. Before the card's ts is recorded (it
 * may already be on screen, or still queued or folded into a roll-up) the line is held and
 * sent into the thread once the card is in Slack.
 */
export async function queueThreadLine(trx: Trx, m: Pick<MentionRow, 'id' | 'alert_channel' | 'alert_ts'>, event: CardEvent, key: string, now: Date): Promise<void> {
  // The row may have been read before the card's delivery committed: decide under its lock.
  const card = m.alert_channel && m.alert_ts ? m : await lockCardPlacement(trx, m.id);
  if (!card?.alert_channel || !card.alert_ts) {
    await holdThreadLineForCard(trx, { mentionId: m.id, eventKey: key, event }, now);
    return;
  }
  await queueThreadLineEffect(trx, { mentionId: m.id, channel: card.alert_channel, threadTs: card.alert_ts, eventKey: key, event }, now);
}

export function assign(ctx: ServiceContext, mentionId: number, actor: string, assignee: string = actor): Promise<MentionRow> {
  return mutate(ctx, mentionId, actor, 'mention.assigned', (row) => {
    if (row.status === 'done') throw new ActionRefused('This alert is already done. Reopen it first.');
    return { patch: { assignee, ...firstAction(row, ctx.now()) }, event: { kind: 'assigned', actor, assignee } };
  });
}

export function markDone(ctx: ServiceContext, mentionId: number, actor: string, reason: DoneReason): Promise<MentionRow> {
  return mutate(ctx, mentionId, actor, 'mention.done', (row) => {
    if (row.status === 'done') throw new ActionRefused(`This alert was already marked done by <@${row.done_by}>.`);
    return {
      patch: { status: 'done', done_by: actor, done_at: ctx.now().toISOString(), done_reason: DONE_REASONS[reason], assignee: row.assignee ?? actor, ...firstAction(row, ctx.now()) },
      event: { kind: 'done', actor, reason: DONE_REASONS[reason] },
      // Nothing left to chase once a mention is handled.
      sideEffects: async (trx, m, now) => {
        return { remindersCancelled: await cancelOpenRemindersOf(trx, m.id, now) };
      },
    };
  });
}

export function reopen(ctx: ServiceContext, mentionId: number, actor: string): Promise<MentionRow> {
  return mutate(ctx, mentionId, actor, 'mention.reopened', (row) => {
    if (row.status !== 'done') throw new ActionRefused('This alert is already open.');
    return {
      patch: { status: 'open', done_by: null, done_at: null, done_reason: null, reopened_by: actor, reopened_at: ctx.now().toISOString() },
      event: { kind: 'reopened', actor },
      sideEffects: async (trx, m, now) => replan(ctx, trx, m, now),
    };
  });
}

/**
 * The rep submitted a draft: the card says so and the final text goes to the rep's DM, both
 * in one transaction. `key` (the modal's view id) makes a repeated submission harmless.
 */
export function recordEmailDrafted(
  ctx: ServiceContext,
  mentionId: number,
  actor: string,
  dm: { key: string; text: string; blocks: unknown[]; subject: string },
): Promise<MentionRow> {
  return mutate(ctx, mentionId, actor, 'mention.email_drafted', (row) => ({
    patch: { email_drafted_by: actor, email_drafted_at: ctx.now().toISOString(), assignee: row.assignee ?? actor, ...firstAction(row, ctx.now()) },
    after: { subject: dm.subject },
    event: { kind: 'drafted', actor, subject: dm.subject },
    sideEffects: async (trx, _m, now) => {
      await queueEmailDraftDm(trx, { viewKey: dm.key, user: actor, text: dm.text, blocks: dm.blocks }, now);
    },
  }));
}

/**
 * Moves the mention's pending reminder to now + the chosen time (a preset, or a date and time
 * the rep picked), creating one when it has none.
 */
export function snooze(ctx: ServiceContext, mentionId: number, actor: string, choice: SnoozeChoice | { until: Date }): Promise<MentionRow> {
  const until = (typeof choice === 'string' ? new Date(ctx.now().getTime() + snoozeDays(choice)! * 86_400_000) : choice.until).toISOString();
  if (until <= ctx.now().toISOString()) throw new ActionRefused('Choose a time in the future to snooze until.');
  return mutate(ctx, mentionId, actor, 'mention.snoozed', (row) => {
    if (row.status === 'done') throw new ActionRefused('This alert is done: there is nothing to snooze.');
    return {
      patch: { ...firstAction(row, ctx.now()) },
      event: { kind: 'snoozed', actor, until },
      sideEffects: async (trx, m, now) => {
        // The follow-up if there is one; else the rep gets one of their own at that time.
        const [pending] = await openFollowUpsOf(trx, m.id);
        if (pending && (await snoozeFollowUp(trx, pending.id, until, now))) {
          return { reminderId: pending.id, dueBefore: pending.due_at, snoozedUntil: until };
        }
        const reminderId = await scheduleReminder(
          trx,
          { mentionId: m.id, kind: 'follow_up', dueAt: until, status: 'snoozed', instruction: 'Come back to this mention: respond privately if nobody has yet.' },
          now,
        );
        return { reminderId, snoozedUntil: until };
      },
    };
  });
}

/**
 * A rep's correction: the card, its actions and the pending follow-up follow the new sentiment,
 * and the correction is kept as a labelled example. Choosing the stance the classifier was
 * shown confirms it: that is recorded too, and an unsure card stops asking.
 */
export function changeSentiment(ctx: ServiceContext, mentionId: number, actor: string, sentiment: Sentiment): Promise<MentionRow> {
  if (!SENTIMENTS.includes(sentiment)) throw new ActionRefused(`Unknown sentiment "${sentiment}".`);
  return mutate(ctx, mentionId, actor, 'mention.sentiment_changed', (row) => {
    const classification = parseClassification(row.classification);
    // The menu offers all three stances: picking the one shown confirms the classifier's
    // reading (a labelled example too), once; after a rep has set or confirmed it, it is refused.
    const byRep = /^\["(confirmed by a rep|set by a rep)/.test(row.sentiment_cues ?? '');
    if (row.sentiment === sentiment && byRep) throw new ActionRefused(`This alert is already ${sentiment}.`);
    const patch: MentionUpdate = {
      sentiment,
      sentiment_cues: JSON.stringify([row.sentiment === sentiment ? 'confirmed by a rep' : `set by a rep (was ${row.sentiment})`]),
    };
    if (classification) patch.classification = JSON.stringify({ ...classification, stance: sentiment, unsure: false });
    return {
      patch,
      event: { kind: 'stance_changed', actor, from: row.sentiment as Sentiment, to: sentiment },
      sideEffects: async (trx, m, now) => {
        await recordLabelCorrection(trx, { mentionId: m.id, field: 'stance', predicted: row.sentiment, corrected: sentiment, by: actor, at: now });
        return row.sentiment === sentiment ? {} : replan(ctx, trx, m, now);
      },
    };
  });
}

/** The stored classification, or null for rows logged before it was kept (or unreadable). */
function parseClassification(json: string | null): Classification | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Classification;
  } catch {
    return null;
  }
}

/** Recomputes the pending follow-up from the playbook for the mention's current state. */
export async function replan(ctx: ServiceContext, trx: Trx, m: MentionRow, now: Date): Promise<Record<string, unknown>> {
  const hcp = await findHcp(trx, m.author_handle);
  return replanFollowUp(trx, m, hcp?.target === 1, ctx.config.followUpDays, now, hcp?.name ?? m.author_name ?? `@${m.author_handle}`);
}

/** How a modal about the mention names its author (e.g. Mark done); MentionNotFound when it is gone. */
export async function authorNameOf(ctx: ServiceContext, mentionId: number): Promise<string> {
  const m = await findMention(ctx.db.kysely, mentionId);
  if (!m) throw new MentionNotFound(mentionId);
  return m.author_name ?? `@${m.author_handle}`;
}

/**
 * A rep's note on an alert: one line in the card's thread and an audit entry. The card itself
 * does not change. `key` (the modal's view id) makes a repeated submission harmless.
 */
export async function addNote(ctx: ServiceContext, mentionId: number, actor: string, text: string, key: string): Promise<void> {
  const note = text.trim();
  if (!note) throw new ActionRefused('A note cannot be empty.');
  const now = ctx.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    await recordAudit(trx, { actor, action: 'mention.note_added', mentionId, after: { note } }, now);
    await queueThreadLine(trx, m, { kind: 'note', actor, text: note }, `note:${key}`, now);
  });
  ctx.kickOutbox();
}

/** The post's author as the Add to roster form starts from; MentionNotFound when it is gone. */
export async function authorOfMention(ctx: ServiceContext, mentionId: number): Promise<{ handle: string; name: string | null }> {
  const m = await findMention(ctx.db.kysely, mentionId);
  if (!m) throw new MentionNotFound(mentionId);
  return { handle: m.author_handle, name: m.author_name };
}
