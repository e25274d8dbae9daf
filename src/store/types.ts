/**
 * The store's vocabulary: every status and kind a row can hold, as closed unions (defined in
 * the domain, src/domain/statuses.ts, so cards and messages share them), the moves each state
 * machine allows, and named ids. A typo in a query or a transition is a compile error instead
 * of a row no query ever finds again; the `as const` arrays serve validation and `in (…)` filters.
 */

import { REMINDER_STATUSES, type MentionStatus, type ReminderStatus } from '../domain/statuses';

export { MENTION_STATUSES, REMINDER_KINDS, REMINDER_STATUSES, type MentionStatus, type ReminderKind, type ReminderStatus } from '../domain/statuses';

/** The moves a mention's status may make; `saveMentionChange` refuses any other. */
export const MENTION_TRANSITIONS: Readonly<Record<MentionStatus, readonly MentionStatus[]>> = {
  // Only through openClassifiedMention, which writes the classification with the move.
  received: [],
  open: ['done'],
  done: ['open'],
};

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
