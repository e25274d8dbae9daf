import { z } from 'zod';
import { SENTIMENTS } from './mention';

/**
 * What happened to an alert, told as one line in the card's thread: the card stays short and
 * the story stays complete. Stored in the outbox entry that posts the line (typed, so a line
 * is rendered from facts, never from stored text that could carry markup).
 */
export const cardEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assigned'), actor: z.string(), assignee: z.string() }),
  z.object({ kind: z.literal('drafted'), actor: z.string(), subject: z.string() }),
  z.object({ kind: z.literal('snoozed'), actor: z.string(), until: z.string() }),
  z.object({ kind: z.literal('done'), actor: z.string(), reason: z.string() }),
  z.object({ kind: z.literal('reopened'), actor: z.string() }),
  z.object({ kind: z.literal('stance_changed'), actor: z.string(), from: z.enum(SENTIMENTS), to: z.enum(SENTIMENTS) }),
  z.object({ kind: z.literal('note'), actor: z.string(), text: z.string() }),
  z.object({ kind: z.literal('added_to_roster'), actor: z.string(), name: z.string(), owner: z.string().nullable() }),
  z.object({ kind: z.literal('follow_up_completed'), actor: z.string() }),
  z.object({ kind: z.literal('outreach_reminder'), actor: z.string(), who: z.string(), dueAt: z.string() }),
  // Pharmacovigilance case status (acknowledged, not an adverse event, reported): `status` is
  // the PV feature's own words for it.
  z.object({ kind: z.literal('pv_status'), actor: z.string(), status: z.string() }),
]);
export type CardEvent = z.output<typeof cardEventSchema>;
