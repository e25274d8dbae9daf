import type { Transaction } from 'kysely';
import { bumpMentionVersion } from '../store/mentions';
import { queueCardUpdate } from '../store/outbox';
import { queueThreadLine } from './card-actions';
import type { Database } from '../store/schema';

/**
 * A change kept beside the mention (its PV case, its Medical referral) shows on the rep's card:
 * the mention gets a new version and, when the card is posted, an update of it is queued in the
 * same transaction. A card still being posted is refreshed by the version check on delivery.
 */
export async function refreshRepCard(
  trx: Transaction<Database>,
  mentionId: number,
  now: Date,
  line?: { actor: string; status: string; key: string },
): Promise<void> {
  const m = await bumpMentionVersion(trx, mentionId, now);
  if (m?.alert_channel && m.alert_ts) {
    await queueCardUpdate(trx, { mentionId: m.id, channel: m.alert_channel, ts: m.alert_ts, role: 'alert', version: m.version }, now);
    // The card's thread tells the story, one line per step (`key` makes it once per step).
    if (line) await queueThreadLine(trx, m, { kind: 'pv_status', actor: line.actor, status: line.status }, `pv:${line.key}`, now);
  }
}
