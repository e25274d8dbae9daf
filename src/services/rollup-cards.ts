import { recordAudit } from '../store/audit';
import { findMention } from '../store/mentions';
import { touchRollupPageOf, unfoldCard } from '../store/rollups';
import { ActionRefused, MentionNotFound } from './card-actions';
import type { ServiceContext } from './context';

/**
 * Open as card, on a post listed in a burst roll-up's thread: its full alert card is posted in
 * the channel (ahead of routine posts) and its line in the thread links to it. One transaction
 * takes the folded card back into the queue, says who asked, queues the line's refresh and
 * writes the audit entry; a second click (a double click, another rep) finds the card no
 * longer folded and changes nothing, so the card is posted once.
 */
export async function openAsCard(ctx: ServiceContext, mentionId: number, user: string): Promise<{ opened: true } | { opened: false; openedBy: string | null }> {
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    if (m.rollup_id === null) throw new ActionRefused('This post has its own alert card already.');
    if (!(await unfoldCard(trx, mentionId, user, now))) return { opened: false as const, openedBy: m.opened_as_card_by };
    await recordAudit(trx, { actor: user, action: 'rollup.opened_as_card', mentionId, after: { rollupId: m.rollup_id, channel: m.alert_channel } }, now);
    await touchRollupPageOf(trx, mentionId, now);
    return { opened: true as const };
  });
  if (result.opened) ctx.kickOutbox();
  return result;
}
