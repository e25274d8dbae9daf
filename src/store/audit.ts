import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface AuditEntry {
  actor: string;
  action: string;
  mentionId: number | null;
  before?: unknown;
  after?: unknown;
}

/** Append-only trail for compliance reviews: who did what, when, before and after. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      at: at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      mention_id: entry.mentionId,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
