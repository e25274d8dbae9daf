import type { Transaction } from 'kysely';
import { bumpMentionVersion } from '../store/mentions';
import { queueCardUpdate } from '../store/outbox';
import type { Database } from '../store/schema';

/**
 * A change kept beside the mention (its PV case, its Medical referral) shows on the rep's card:
 * the mention gets a new version and, when the card is posted, an update of it is queued in the
 * same transaction. A card still being posted is refreshed by the version check on delivery.
 */
export async function refreshRepCard(trx: Transaction<Database>, mentionId: number, now: Date): Promise<void> {
  const m = await bumpMentionVersion(trx, mentionId, now);
  if (m?.alert_channel && m.alert_ts) {
    await queueCardUpdate(trx, { mentionId: m.id, channel: m.alert_channel, ts: m.alert_ts, role: 'alert', version: m.version }, now);
  }
}
