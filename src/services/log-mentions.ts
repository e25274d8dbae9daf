import type { NewMention } from '../domain/mention';
import { planFollowUp, planResponseSla } from '../domain/reminder-rules';
import { findHcp, findMentionByIdentity, recordMention } from '../store/mentions';
import { scheduleReminder } from '../store/reminders';
import { queueAlertCard } from '../store/outbox';
import { rankOfMention } from '../store/outbox-keys';
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
  // Classifying is pure CPU, done in a worker thread before the transaction, which then only writes.
  const columns = await Promise.all(mentions.map((m) => ctx.classifier.classify(m.text, m.product)));
  // Committed together with concurrent requests (group commit); resolves once durable.
  const results = await ctx.db.groupCommit.run(async (trx) => {
    const out: LoggedMention[] = [];
    for (let i = 0; i < mentions.length; i++) {
      const m = mentions[i]!;
      const c = columns[i]!;
      const hcp = await findHcp(trx, m.authorHandle);
      const adverse = c.adverse_event === 1;
      const inserted = await recordMention(trx, {
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
        ...c,
        status: 'open',
        // The roster's owner of this HCP handles it unless someone else takes it.
        assignee: hcp?.owner_slack_id ?? null,
        version: 1,
        updated_at: nowIso,
      });

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
        { sentiment: c.sentiment, postedAt: m.postedAt, isTarget: hcp?.target === 1, hcpName: hcp?.name ?? m.authorName ?? `@${m.authorHandle}` },
        ctx.config.followUpDays,
        now,
      );
      if (plan) await scheduleReminder(trx, { mentionId, kind: plan.kind, dueAt: plan.dueAt, instruction: plan.instruction }, now);
      const sla = planResponseSla(now, ctx.config.responseSlaHours);
      await scheduleReminder(trx, { mentionId, kind: sla.kind, dueAt: sla.dueAt, instruction: sla.instruction }, now);
      const channel = hcp?.channel_id ?? ctx.config.channels.alert;
      const rank = rankOfMention({ adverseEvent: adverse, medicalQuestion: c.medical_question === 1, sentiment: c.sentiment, isTarget: hcp?.target === 1 });
      await queueAlertCard(trx, { mentionId, channel, role: 'alert', rank }, now);
      await recordAudit(
        trx,
        {
          actor: m.reportedBy ?? `${m.via}`,
          action: 'mention.logged',
          mentionId,
          after: { source: m.source, id: m.externalId, sentiment: c.sentiment, adverseEvent: adverse, followUpDue: plan?.dueAt ?? null },
        },
        now,
      );
      // A possible adverse event is PV's case from the moment it arrives (its own message, clock and controls).
      if (adverse) await openCase(ctx, trx, { mentionId, origin: 'detected', openedBy: SYSTEM_ACTOR }, now);
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
