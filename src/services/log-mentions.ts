import type { NewMention } from '../domain/mention';
import { classifyPost } from '../domain/classification';
import { classificationColumns } from '../store/mentions';
import { planFollowUp, planResponseSla } from '../domain/reminder-rules';
import { findHcp, findMentionByIdentity } from '../store/mentions';
import { enqueue } from '../store/outbox';
import { recordAudit } from '../store/audit';
import { openCase, SYSTEM_ACTOR } from './pv-cases';
import type { ServiceContext } from './context';
import { sourceLabel } from '../metrics';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema';

export interface LoggedMention {
  source: string;
  id: string;
  mentionId: number;
  duplicate: boolean;
  /** Where the existing card is, for duplicates whose card has been posted. */
  alert: { channel: string; ts: string } | null;
}

/**
 * Logs mentions in one transaction: each new one is classified, gets its follow-up from the
 * playbook and its card(s) queued in the outbox. All or nothing: the caller may answer
 * "accepted" only after this resolves.
 */
export interface LogOptions {
  /** Runs inside the transaction for each mention, new or duplicate (e.g. to queue a reply). */
  onLogged?: (trx: Transaction<Database>, logged: LoggedMention, now: Date) => Promise<void>;
}

export async function logMentions(ctx: ServiceContext, mentions: NewMention[], options: LogOptions = {}): Promise<LoggedMention[]> {
  const now = ctx.now();
  const nowIso = now.toISOString();
  const results = await ctx.db.kysely.transaction().execute(async (trx) => {
    const out: LoggedMention[] = [];
    for (const m of mentions) {
      const hcp = await findHcp(trx, m.authorHandle);
      const c = classifyPost(m.text, { product: m.product });
      const sentiment = { label: c.stance };
      const adverse = c.adverseEvent;
      const inserted = await trx
        .insertInto('mentions')
        .values({
          source: m.source,
          external_id: m.externalId,
          url: m.url,
          author_handle: m.authorHandle.toLowerCase(),
          author_name: m.authorName ?? hcp?.name ?? null,
          text: m.text,
          text_from_reporter: m.textFromReporter ? 1 : 0,
          posted_at: m.postedAt,
          received_at: nowIso,
          product: m.product,
          via: m.via,
          reported_by: m.reportedBy,
          tool_sentiment: m.toolSentiment ?? null,
          tool_query: m.toolQuery ?? null,
          ...classificationColumns(c),
          status: 'open',
          version: 1,
          updated_at: nowIso,
        })
        .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
        .returning('id')
        .executeTakeFirst();

      if (!inserted) {
        const existing = await findMentionByIdentity(trx, m.source, m.externalId);
        if (!existing) throw new Error(`mention ${m.source}/${m.externalId} conflicted but cannot be read back`);
        const dup: LoggedMention = {
          source: m.source,
          id: m.externalId,
          mentionId: existing.id,
          duplicate: true,
          alert: existing.alert_channel && existing.alert_ts ? { channel: existing.alert_channel, ts: existing.alert_ts } : null,
        };
        await options.onLogged?.(trx, dup, now);
        out.push(dup);
        continue;
      }

      const mentionId = inserted.id;
      const plan = planFollowUp(
        { sentiment: sentiment.label, postedAt: m.postedAt, isTarget: hcp?.target === 1 },
        ctx.config.followUpDays,
        now,
      );
      if (plan) {
        await trx
          .insertInto('reminders')
          .values({
            mention_id: mentionId,
            kind: plan.kind,
            due_at: plan.dueAt,
            status: 'pending',
            instruction: plan.instruction,
            attempts: 0,
            created_at: nowIso,
            updated_at: nowIso,
          })
          .execute();
      }
      const sla = planResponseSla(now, ctx.config.responseSlaHours);
      await trx
        .insertInto('reminders')
        .values({ mention_id: mentionId, kind: sla.kind, due_at: sla.dueAt, status: 'pending', instruction: sla.instruction, attempts: 0, created_at: nowIso, updated_at: nowIso })
        .execute();
      const channel = hcp?.channel_id ?? ctx.config.channels.alert;
      await enqueue(trx, `card:alert:${mentionId}`, { kind: 'alert_card', mentionId, channel, role: 'alert' }, now);
      await recordAudit(
        trx,
        {
          actor: m.reportedBy ?? `${m.via}`,
          action: 'mention.logged',
          mentionId,
          after: { source: m.source, id: m.externalId, sentiment: sentiment.label, adverseEvent: adverse.possible, followUpDue: plan?.dueAt ?? null },
        },
        now,
      );
      // A possible adverse event is PV's case from the moment it arrives (its own message, clock and controls).
      if (adverse.possible) await openCase(ctx, trx, { mentionId, origin: 'detected', openedBy: SYSTEM_ACTOR }, now);
      const logged: LoggedMention = { source: m.source, id: m.externalId, mentionId, duplicate: false, alert: null };
      await options.onLogged?.(trx, logged, now);
      out.push(logged);
    }
    return out;
  });
  for (const r of results) ctx.metrics.mentions.inc({ source: sourceLabel(r.source), outcome: r.duplicate ? 'duplicate' : 'accepted' });
  ctx.kickOutbox();
  return results;
}
