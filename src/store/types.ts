/**
 * The store's vocabulary: every status and kind a row can hold, as closed unions, so a typo in
 * a query or a transition is a compile error instead of a row no query ever finds again.
 * The `as const` arrays are the same sets for validation and `in (…)` filters.
 */

/** A mention is open until a rep marks it done; a rep may reopen it. */
export const MENTION_STATUSES = ['open', 'done'] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/**
 * follow_up: the playbook's (or a rep's snoozed) follow-up, sent to the rep until completed.
 * response_sla: one escalation in the alert's thread when nobody acted in time.
 */
export const REMINDER_KINDS = ['follow_up', 'response_sla'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/*
 * A reminder's life: pending → queued (in the outbox) → delivered → done; a rep may snooze
 * it (snoozed, due again later) or the mention's state may cancel it (cancelled). An
 * escalation is done as soon as it is delivered.
 */
export const REMINDER_STATUSES = ['pending', 'snoozed', 'queued', 'delivered', 'done', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** States that still ask something of a rep. */
export const OPEN_REMINDER: readonly ReminderStatus[] = ['pending', 'snoozed', 'queued', 'delivered'];
/** States the scheduler picks up when due. */
export const DUE_REMINDER: readonly ReminderStatus[] = ['pending', 'snoozed'];

export const isOpenReminder = (status: ReminderStatus): boolean => OPEN_REMINDER.includes(status);

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
