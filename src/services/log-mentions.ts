import type { NewMention } from '../domain/mention';
import { planFollowUp, planResponseSla } from '../domain/reminder-rules';
import { findHcp, findMentionByIdentity, findReceivedMentions, openClassifiedMention, recordMention } from '../store/mentions';
import { scheduleReminder } from '../store/reminders';
import { queueAlertCard } from '../store/outbox';
import { rankOfMention } from '../store/outbox-keys';
import { recordAudit } from '../store/audit';
import { UNCLASSIFIED_COLUMNS, type ClassificationColumns } from '../store/classification-columns';
import { openCase, SYSTEM_ACTOR } from './pv-cases';
import type { ServiceContext } from './context';
import { sourceLabel } from '../metrics';
import type { Transaction } from 'kysely';
import type { Database, HcpRow, MentionRow } from '../store/schema';

export interface LoggedMention {
  source: string;
  id: string;
  mentionId: number;
  duplicate: boolean;
  /** Where the existing card is, for duplicates whose card has been posted. */
  alert: { channel: string; ts: string } | null;
}

export interface LogOptions {
  /** Runs inside the transaction for each mention, new or duplicate (e.g. to queue a reply). */
  onLogged?: (trx: Transaction<Database>, logged: LoggedMention, now: Date) => Promise<void>;
}

/**
 * Logs mentions in one transaction: each new one is classified, gets its follow-up from the
 * playbook and its card(s) queued in the outbox. All or nothing: the caller may answer
 * "accepted" only after this resolves.
 */
export async function logMentions(ctx: ServiceContext, mentions: NewMention[], options: LogOptions = {}): Promise<LoggedMention[]> {
  const now = ctx.now();
  // Classifying is pure CPU, done (in a worker thread when there is one) before the transaction, which then only writes.
  const columns = await Promise.all(mentions.map((m) => ctx.classifier.classify(m.text, m.product)));
  // Committed together with concurrent requests (group commit); resolves once durable.
  const results = await ctx.db.groupCommit.run(async (trx) => {
    const out: LoggedMention[] = [];
    for (let i = 0; i < mentions.length; i++) {
      const m = mentions[i]!;
      const c = columns[i]!;
      const hcp = await findHcp(trx, m.authorHandle);
      const inserted = await recordMention(trx, {
        ...mentionColumns(m, now),
        author_name: m.authorName ?? hcp?.name ?? null,
        ...c,
        status: 'open',
        // The roster's owner of this HCP handles it unless someone else takes it.
        assignee: hcp?.owner_slack_id ?? null,
      });
      const logged = inserted ? newlyLogged(m, inserted.id) : await duplicateOf(trx, m);
      if (inserted) await openMention(ctx, trx, { ...factsOf(m), mentionId: inserted.id, receivedAt: now, columns: c, hcp }, now);
      await options.onLogged?.(trx, logged, now);
      out.push(logged);
    }
    return out;
  });
  countAccepted(ctx, results);
  ctx.kickOutbox();
  return results;
}

/**
 * Accepts webhook posts. One arriving alone is logged whole (classified, card queued) before the
 * answer, as logMentions does. Under a flood, accepting comes first: posts are stored as
 * received, the sender has its 202 as soon as they are durable, and the received queue
 * classifies and opens them in the time the requests leave (src/services/received-queue.ts).
 * A card cannot leave sooner than the channel's pace allows anyway, while a sender kept waiting
 * times out and sends again.
 */
export async function acceptMentions(ctx: ServiceContext, mentions: NewMention[]): Promise<LoggedMention[]> {
  return ctx.received.shouldDefer() ? await receiveMentions(ctx, mentions) : await logMentions(ctx, mentions);
}

/** Stores new mentions as received (durable, not classified yet) and hands them to the received queue. */
async function receiveMentions(ctx: ServiceContext, mentions: NewMention[]): Promise<LoggedMention[]> {
  const now = ctx.now();
  const received: number[] = [];
  const results = await ctx.db.groupCommit.run(async (trx) => {
    const out: LoggedMention[] = [];
    for (const m of mentions) {
      const inserted = await recordMention(trx, { ...mentionColumns(m, now), author_name: m.authorName ?? null, ...UNCLASSIFIED_COLUMNS, status: 'received', assignee: null });
      if (inserted) received.push(inserted.id);
      out.push(inserted ? newlyLogged(m, inserted.id) : await duplicateOf(trx, m));
    }
    return out;
  });
  countAccepted(ctx, results);
  ctx.metrics.mentionsDeferred.inc(received.length);
  ctx.received.add(received);
  return results;
}

/**
 * Classifies received mentions and opens them: each takes its classification and owner, its
 * follow-ups, its card and (a possible adverse event) its PV case, all in one commit. Each post
 * is its own unit of that commit: one that cannot be classified or stored stays received (the
 * sweep tries it again) without holding back the others. A mention another instance opened
 * first is left alone. Returns how many this call opened.
 */
export async function openReceivedMentions(ctx: ServiceContext, ids: readonly number[]): Promise<number> {
  // Read back rather than held since the request: a flood's texts would otherwise outlive their
  // requests in memory (and into V8's old generation, as RSS that stays).
  const batch = await findReceivedMentions(ctx.db.kysely, ids);
  const classified = await Promise.allSettled(batch.map((m) => ctx.classifier.classify(m.text, m.product)));
  const now = ctx.now();
  // Joined to the commit in id order, whatever order the classifications came back in: two
  // instances opening the same posts then lock their rows in the same order (no deadlock).
  const opened = await Promise.all(
    batch.map(async (m, i) => {
      const c = classified[i]!;
      try {
        if (c.status === 'rejected') throw c.reason;
        const columns = c.value;
        return await ctx.db.groupCommit.run(async (trx) => {
          const hcp = await findHcp(trx, m.author_handle);
          const row = await openClassifiedMention(trx, m.id, columns, hcp, now);
          if (row) await openMention(ctx, trx, { ...factsOfRow(row), columns, hcp }, now);
          return row ? 1 : 0;
        });
      } catch (err) {
        ctx.logger.error({ err, mentionId: m.id }, 'a received mention could not be opened; it stays received and is tried again');
        return 0;
      }
    }),
  );
  const n = opened.reduce<number>((a, b) => a + b, 0);
  if (n) ctx.kickOutbox();
  return n;
}

/** What opening a mention needs to know of it, whichever way it arrived. */
interface MentionFacts {
  mentionId: number;
  /** When it reached the bot: the response and PV clocks run from then, however late it opens. */
  receivedAt: Date;
  source: string;
  externalId: string;
  authorHandle: string;
  authorName: string | null;
  postedAt: string;
  actor: string;
  columns: Pick<ClassificationColumns, 'sentiment' | 'adverse_event' | 'medical_question'>;
  hcp: HcpRow | undefined;
}

/** A new mention's follow-up and response clock from the playbook, its card, its audit line and its PV case. */
async function openMention(ctx: ServiceContext, trx: Transaction<Database>, f: MentionFacts, now: Date): Promise<void> {
  const { columns: c, hcp, mentionId } = f;
  const adverse = c.adverse_event === 1;
  const plan = planFollowUp(
    { sentiment: c.sentiment, postedAt: f.postedAt, isTarget: hcp?.target === 1, hcpName: hcp?.name ?? f.authorName ?? `@${f.authorHandle}` },
    ctx.config.followUpDays,
    now,
  );
  if (plan) await scheduleReminder(trx, { mentionId, kind: plan.kind, dueAt: plan.dueAt, instruction: plan.instruction }, now);
  const sla = planResponseSla(f.receivedAt, ctx.config.responseSlaHours);
  await scheduleReminder(trx, { mentionId, kind: sla.kind, dueAt: sla.dueAt, instruction: sla.instruction }, now);
  const channel = hcp?.channel_id ?? ctx.config.channels.alert;
  const rank = rankOfMention({ adverseEvent: adverse, medicalQuestion: c.medical_question === 1, sentiment: c.sentiment, isTarget: hcp?.target === 1 });
  await queueAlertCard(trx, { mentionId, channel, role: 'alert', rank }, now);
  await recordAudit(
    trx,
    {
      actor: f.actor,
      action: 'mention.logged',
      mentionId,
      after: { source: f.source, id: f.externalId, sentiment: c.sentiment, adverseEvent: adverse, followUpDue: plan?.dueAt ?? null },
    },
    now,
  );
  // A possible adverse event is PV's case from the moment it is known (its own message, clock and controls).
  if (adverse) await openCase(ctx, trx, { mentionId, origin: 'detected', openedBy: SYSTEM_ACTOR, clockFrom: f.receivedAt }, now);
}

/** The columns of a new mention that come from the post itself. */
const mentionColumns = (m: NewMention, now: Date) => ({
  source: m.source,
  external_id: m.externalId,
  url: m.url,
  author_handle: m.authorHandle.toLowerCase(),
  text: m.text,
  text_from_reporter: m.textFromReporter ? 1 : 0,
  posted_at: m.postedAt,
  received_at: now.toISOString(),
  product: m.product,
  via: m.via,
  reported_by: m.reportedBy,
  tool_sentiment: m.toolSentiment ?? null,
  tool_query: m.toolQuery ?? null,
  version: 1,
  updated_at: now.toISOString(),
});

const factsOf = (m: NewMention) => ({
  source: m.source,
  externalId: m.externalId,
  authorHandle: m.authorHandle,
  authorName: m.authorName ?? null,
  postedAt: m.postedAt,
  actor: m.reportedBy ?? m.via,
});

const factsOfRow = (r: MentionRow) => ({
  mentionId: r.id,
  receivedAt: new Date(r.received_at),
  source: r.source,
  externalId: r.external_id,
  authorHandle: r.author_handle,
  authorName: r.author_name,
  postedAt: r.posted_at,
  actor: r.reported_by ?? r.via,
});

const newlyLogged = (m: NewMention, mentionId: number): LoggedMention => ({ source: m.source, id: m.externalId, mentionId, duplicate: false, alert: null });

/** The post was logged before (a sender's retry, a second rep forwarding it): where its card is. */
async function duplicateOf(trx: Transaction<Database>, m: NewMention): Promise<LoggedMention> {
  const existing = await findMentionByIdentity(trx, m.source, m.externalId);
  if (!existing) throw new Error(`mention ${m.source}/${m.externalId} conflicted but cannot be read back`);
  return {
    source: m.source,
    id: m.externalId,
    mentionId: existing.id,
    duplicate: true,
    alert: existing.alert_channel && existing.alert_ts ? { channel: existing.alert_channel, ts: existing.alert_ts } : null,
  };
}

const countAccepted = (ctx: ServiceContext, results: LoggedMention[]) => {
  for (const r of results) ctx.metrics.mentions.inc({ source: sourceLabel(r.source), outcome: r.duplicate ? 'duplicate' : 'accepted' });
};
