/**
 * The words for where a mention and a reminder stand, shared by every layer: the store keeps
 * them (and owns their transitions: src/store/types.ts), the cards and reminder messages
 * show them. Closed unions, so a misspelt status is a compile error, not a silent mismatch.
 */

/**
 * A mention is open until a rep marks it done; a rep may reopen it. One that arrived in a flood
 * is first stored as received (durable, not yet classified: no card, follow-up or PV case yet)
 * and opens when its classification is written (src/services/received-queue.ts).
 */
export const MENTION_STATUSES = ['received', 'open', 'done'] as const;
export type MentionStatus = (typeof MENTION_STATUSES)[number];

/**
 * follow_up: the playbook's (or a rep's snoozed) follow-up, sent to the rep until completed.
 * response_sla: one escalation in the alert's thread when nobody acted in time.
 * sphere_outreach: a rep's own reminder to reach a colleague of the poster privately (Remind
 * me on a sphere-of-influence name), sent to that rep alone until completed.
 */
export const REMINDER_KINDS = ['follow_up', 'response_sla', 'sphere_outreach'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/*
 * A reminder's life: pending → queued (in the outbox) → delivered → done; a rep may snooze
 * it (snoozed, due again later) or complete it at any point, or the mention's state may
 * cancel it (cancelled). An escalation is done as soon as it is delivered.
 */
export const REMINDER_STATUSES = ['pending', 'snoozed', 'queued', 'delivered', 'done', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/** A burst roll-up takes new folds while open; closed after a quiet period or when full. */
export const ROLLUP_STATUSES = ['open', 'closed'] as const;
export type RollupStatus = (typeof ROLLUP_STATUSES)[number];
