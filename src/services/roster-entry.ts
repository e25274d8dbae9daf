import { z } from 'zod';
import type { CardEvent } from '../domain/card-events';
import { findHcp, findMention, openMentionsBy, saveMentionChange, upsertHcp } from '../store/mentions';
import { recordAudit } from '../store/audit';
import { ActionRefused, MentionNotFound, queueCardUpdates, queueThreadLine } from './card-actions';
import { replanFollowUp } from './follow-up-plan';
import type { ServiceContext } from './context';

/** The Add to roster form: the roster's columns, checked as roster:import checks them. */
export const rosterEntrySchema = z.object({
  name: z.string().trim().min(1, 'Enter the HCP\'s name.').max(200, 'At most 200 characters.'),
  specialty: z.string().trim().max(200, 'At most 200 characters.').optional(),
  institution: z.string().trim().max(200, 'At most 200 characters.').optional(),
  email: z.email('Enter an email address, e.g. jane.doe@hospital.org.').optional(),
  npi: z.string().regex(/^\d{10}$/, 'An NPI has 10 digits.').optional(),
  target: z.boolean(),
  owner: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'Choose a person.').optional(),
  channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'Choose a channel.').optional(),
});
export type RosterEntry = z.output<typeof rosterEntrySchema>;

/**
 * Adds a card's author to the roster: the HCP's entry, then each of their open mentions is
 * brought in line (assigned to the owner when nobody has it, the follow-up replanned for the
 * target flag) and its card re-rendered; the card's thread says who added them.
 */
export async function addToRoster(ctx: ServiceContext, mentionId: number, actor: string, entry: RosterEntry): Promise<{ handle: string; replanned: number }> {
  const now = ctx.now();
  const result = await ctx.db.kysely.transaction().execute(async (trx) => {
    const m = await findMention(trx, mentionId);
    if (!m) throw new MentionNotFound(mentionId);
    const handle = m.author_handle.toLowerCase();
    const existing = await findHcp(trx, handle);
    if (existing) throw new ActionRefused(`@${handle} is already in the roster${existing.name ? ` as ${existing.name}` : ''}.`);
    await upsertHcp(trx, {
      handle,
      name: entry.name,
      email: entry.email ?? null,
      specialty: entry.specialty ?? null,
      institution: entry.institution ?? null,
      npi: entry.npi ?? null,
      target: entry.target ? 1 : 0,
      owner_slack_id: entry.owner ?? null,
      channel_id: entry.channel ?? null,
      // Adding a retired HCP back from a card brings them back into use.
      active: 1,
      updated_at: now.toISOString(),
    });
    let replanned = 0;
    for (const open of await openMentionsBy(trx, handle)) {
      const row = await findMention(trx, open.id);
      if (!row) continue;
      const updated = await saveMentionChange(trx, row, row.assignee || !entry.owner ? {} : { assignee: entry.owner }, now);
      if (!updated) throw new ActionRefused('Someone else is changing this alert right now. Please try again.');
      const outcome = await replanFollowUp(trx, updated, entry.target, ctx.config.followUpDays, now, entry.name);
      if (outcome.followUp) replanned++;
      await queueCardUpdates(trx, updated, now);
    }
    await recordAudit(trx, { actor, action: 'hcp.added_to_roster', mentionId, after: { handle, ...entry } }, now);
    const event: CardEvent = { kind: 'added_to_roster', actor, name: entry.name, owner: entry.owner ?? null };
    await queueThreadLine(trx, m, event, `roster:${handle}`, now);
    return { handle, replanned };
  });
  ctx.kickOutbox();
  return result;
}
