import { alreadyHandled, markHandled, pruneSlackEvents } from '../store/slack-events';
import type { ServiceContext } from './context';

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Which Slack events were handled already, so Slack's repeated deliveries (same event_id)
 * are dropped. An id is recorded once its handling finished: a crash mid-way lets Slack's
 * retry through, and the handling itself is idempotent. Old ids are pruned about hourly.
 */
export function slackEventLedger(ctx: ServiceContext) {
  let lastPrune = 0;
  return {
    seen: (eventId: string): Promise<boolean> => alreadyHandled(ctx.db.kysely, eventId),
    async handled(eventId: string): Promise<void> {
      const now = ctx.now();
      await markHandled(ctx.db.kysely, eventId, now);
      if (now.getTime() - lastPrune > PRUNE_EVERY_MS) {
        lastPrune = now.getTime();
        await pruneSlackEvents(ctx.db.kysely, now);
      }
    },
  };
}
