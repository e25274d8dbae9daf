/**
 * The store's vocabulary: every status and kind a row can hold, as closed unions, so a typo in
 * a query or a transition is a compile error instead of a row no query ever finds again.
 * The `as const` arrays are the same sets for validation and `in (…)` filters.
 */

/** A mention is open until a rep marks it done; a rep may reopen it. */
export const MENTION_STATUSES = ['open', 'done'] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/** The moves a mention's status may make; `saveMentionChange` refuses any other. */
export const MENTION_TRANSITIONS: Readonly<Record<MentionStatus, readonly MentionStatus[]>> = {
  open: ['done'],
  done: ['open'],
};

/**
 * follow_up: the playbook's (or a rep's snoozed) follow-up, sent to the rep until completed.
 * response_sla: one escalation in the alert's thread when nobody acted in time.
 */
export const REMINDER_KINDS = ['follow_up', 'response_sla'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/*
 * A reminder's life: pending → queued (in the outbox) → delivered → done; a rep may snooze
 * it (snoozed, due again later) or complete it at any point, or the mention's state may
 * cancel it (cancelled). An escalation is done as soon as it is delivered.
 */
export const REMINDER_STATUSES = ['pending', 'snoozed', 'queued', 'delivered', 'done', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/**
 * The moves a reminder's status may make. Every verb of src/store/reminders.ts makes its
 * update conditional on the states this table allows to reach its target (`movesTo`), so a
 * move from a state that is gone (completed, cancelled, claimed elsewhere) changes nothing.
 */
export const REMINDER_TRANSITIONS: Readonly<Record<ReminderStatus, readonly ReminderStatus[]>> = {
  pending: ['queued', 'snoozed', 'done', 'cancelled'],
  snoozed: ['queued', 'snoozed', 'done', 'cancelled'],
  queued: ['delivered', 'snoozed', 'done', 'cancelled'],
  delivered: ['snoozed', 'done', 'cancelled'],
  done: [],
  cancelled: [],
};

/** The states from which a reminder may move to `to`. */
export const movesTo = (to: ReminderStatus): ReminderStatus[] => REMINDER_STATUSES.filter((from) => REMINDER_TRANSITIONS[from].includes(to));

/** States that still ask something of a rep: those a rep may complete. */
export const OPEN_REMINDER: readonly ReminderStatus[] = movesTo('done');
/** States the scheduler picks up when due: those it may queue. */
export const DUE_REMINDER: readonly ReminderStatus[] = movesTo('queued');

export const isOpenReminder = (status: ReminderStatus): boolean => OPEN_REMINDER.includes(status);

/** A move the state machines above do not allow: a bug in the caller, never a race (a race is refused quietly). */
export class IllegalTransition extends Error {
  constructor(table: string, id: number, from: string, to: string) {
    super(`${table} ${id} cannot move from ${from} to ${to}`);
  }
}

/*
 * Row ids by what they identify. Plain numbers at run time (Slack payloads and SQL carry them
 * as such); the names say which table a parameter points into.
 */
export type MentionId = number;
export type ReminderId = number;
export type AuditId = number;
/** An HCP is identified by their handle, lower-case, without the @. */
export type HcpHandle = string;
/** A Slack user id (U…), as actors and assignees are recorded. */
export type SlackUserId = string;
