import type { Kysely } from 'kysely';
import type { Database } from './schema';
import { prepared } from './prepared';

export interface AuditEntry {
  actor: string;
  action: string;
  mentionId: number | null;
  before?: unknown;
  after?: unknown;
}

/** Append-only trail for compliance reviews: who did what, when, before and after. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  await RECORD_AUDIT.run(db, [
    at.toISOString(),
    entry.actor,
    entry.action,
    entry.mentionId,
    entry.before === undefined ? null : JSON.stringify(entry.before),
    entry.after === undefined ? null : JSON.stringify(entry.after),
  ]);
}
// One per webhook mention and per rep action: written once rather than built per call (prepared.ts).
const RECORD_AUDIT = prepared('insert into "audit" ("at", "actor", "action", "mention_id", "before", "after") values (?, ?, ?, ?, ?, ?)');

/** The trail from `since` (inclusive) to `until` (exclusive), oldest first, with each mention's identity. */
export const auditTrail = (db: Kysely<Database>, range: { since: Date; until?: Date }) => {
  let q = db
    .selectFrom('audit')
    .leftJoin('mentions', 'mentions.id', 'audit.mention_id')
    .select(['audit.id', 'audit.at', 'audit.actor', 'audit.action', 'audit.mention_id', 'mentions.source', 'mentions.external_id', 'mentions.url', 'audit.before', 'audit.after'])
    .where('audit.at', '>=', range.since.toISOString())
    .orderBy('audit.at')
    .orderBy('audit.id');
  if (range.until) q = q.where('audit.at', '<', range.until.toISOString());
  return q.execute();
};
