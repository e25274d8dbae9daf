import { SPHERE_SHOWN } from '../../blocks/alert-card';
import { recordAudit } from '../store/audit';
import { findHcp, findMention, findSphere } from '../store/mentions';
import { scheduleOutreachReminder } from '../store/reminders';
import { ActionRefused, MentionNotFound, queueThreadLine } from './card-actions';
import type { ServiceContext } from './context';

export interface OutreachOutcome {
  created: boolean;
  reminderId: number;
  who: string;
}

/**
 * A rep clicks Remind me beside a colleague of a negative post's author: the rep gets a
 * private outreach reminder for that colleague (kind sphere_outreach), due now; the
 * scheduler moves it to the rep's next working time and DMs it with Complete / Snooze. One
 * reminder per alert, rep and colleague however often they click. The colleague must still
 * be in the author's sphere (the click's value is not trusted).
 */
export async function remindSphereOutreach(ctx: ServiceContext, mentionId: number, actor: string, handle: string): Promise<OutreachOutcome> {
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    if (m.status === 'done') throw new ActionRefused('This alert is done: reopen it to set outreach reminders.');
    if (m.sentiment !== 'negative') throw new ActionRefused('Sphere-of-influence outreach is offered on negative posts only.');
    const hcp = await findHcp(trx, m.author_handle);
    const colleague = hcp ? (await findSphere(trx, hcp, SPHERE_SHOWN)).find((s) => s.handle === handle.toLowerCase()) : undefined;
    if (!colleague) throw new ActionRefused(`@${handle} is no longer in this author's sphere of influence (the roster changed). The card will refresh on its next change.`);
    const who = colleague.name ? `${colleague.name} (@${colleague.handle})` : `@${colleague.handle}`;
    const instruction = `Reach out privately to ${who}, a colleague of ${m.author_name ?? `@${m.author_handle}`} (${colleague.why}): listen, and offer data where it makes sense. Never by a public reply.`;
    const r = await scheduleOutreachReminder(
      trx,
      { mentionId, recipient: actor, dueAt: now.toISOString(), instruction, key: `sphere:${mentionId}:${actor}:${colleague.handle}` },
      now,
    );
    if (r.created) {
      await recordAudit(trx, { actor, action: 'reminder.sphere_outreach', mentionId, after: { reminderId: r.id, colleague: colleague.handle, due_at: now.toISOString() } }, now);
      await queueThreadLine(trx, m, { kind: 'outreach_reminder', actor, who, dueAt: now.toISOString() }, `outreach:${r.id}`, now);
    }
    return { created: r.created, reminderId: r.id, who };
  });
  if (result.created) ctx.kickOutbox();
  return result;
}
