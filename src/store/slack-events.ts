import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Slack retries an event it thinks we missed (same event_id, X-Slack-Retry-Num). An id is
 * recorded once the event was handled, so a crash mid-way lets Slack's retry through; the
 * handling itself is idempotent, so a retry racing the first delivery is harmless too.
 * Ids older than a day are pruned (Slack's retries span minutes).
 */
export async function alreadyHandled(db: Kysely<Database>, eventId: string): Promise<boolean> {
  const row = await db.selectFrom('slack_events').select('event_id').where('event_id', '=', eventId).executeTakeFirst();
  return row !== undefined;
}

export async function markHandled(db: Kysely<Database>, eventId: string, now: Date): Promise<void> {
  await db
    .insertInto('slack_events')
    .values({ event_id: eventId, received_at: now.toISOString() })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

export const pruneSlackEvents = (db: Kysely<Database>, now: Date) =>
  db.deleteFrom('slack_events').where('received_at', '<', new Date(now.getTime() - 86_400_000).toISOString()).execute();
