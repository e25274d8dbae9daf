import { performance } from 'node:perf_hooks';
import cron, { type ScheduledTask } from 'node-cron';
import type { WebClient } from '@slack/web-api';
import { reminderRecipient, slaStillApplies } from '../domain/reminder-rules';
import { nextWorkingTime } from '../domain/working-hours';
import type { ServiceContext } from '../services/context';
import { queueReminder } from '../store/outbox';
import { cancelDueReminder, claimDueReminder, deferDueReminder, dueBatch, type DueReminder } from '../store/reminders';

const BATCH = 100;
/** Reminders claimed between two turns of the event loop inside a batch's transaction. */
const YIELD_EVERY = 20;
/** A reminder whose alert card is not posted yet looks again this much later. */
const NO_RECIPIENT_RETRY_MS = 60_000;
const TZ_CACHE_MS = 6 * 3_600_000;

export interface TickResult {
  queued: number;
  deferred: number;
  cancelled: number;
  batches: number;
}

/**
 * Brings due reminders back on time. Each node-cron tick (REMINDER_CRON), and once at start
 * to catch up on ticks missed while the bot was down, claims due reminders in batches: in one
 * transaction each is moved to "queued" and its message put in the outbox, which delivers it
 * once (retries, pacing, crash recovery). A reminder for a rep outside WORK_HOURS in their
 * Slack time zone is moved to their next working time instead.
 */
export class ReminderScheduler {
  private task: ScheduledTask | null = null;
  private running: Promise<TickResult> | null = null;
  private readonly tzCache = new Map<string, { tz: string; until: number }>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly slack: WebClient,
  ) {}

  async start(): Promise<void> {
    this.task = cron.schedule(this.ctx.config.reminderCron, () => void this.tick(), { name: 'hcp-pulse-reminders', noOverlap: true });
    await this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    await this.running;
  }

  /** One pass over everything due now; concurrent calls share the pass in progress. */
  tick(): Promise<TickResult> {
    this.running ??= this.claimAll()
      .catch((err) => {
        this.ctx.logger.error({ err }, 'reminder tick failed; the next tick retries');
        return { queued: 0, deferred: 0, cancelled: 0, batches: 0 };
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async claimAll(): Promise<TickResult> {
    const total: TickResult = { queued: 0, deferred: 0, cancelled: 0, batches: 0 };
    for (;;) {
      const now = this.ctx.now();
      const t0 = performance.now();
      const batch = await dueBatch(this.ctx.db.kysely, now, BATCH);
      if (batch.length === 0) break;
      const t1 = performance.now();
      const zones = await this.zonesFor(batch);
      const t2 = performance.now();
      const r = await this.claimBatch(batch, zones, now);
      this.ctx.logger.debug({ selectMs: t1 - t0, zonesMs: t2 - t1, claimMs: performance.now() - t2, size: batch.length }, 'reminder batch');
      total.queued += r.queued;
      total.deferred += r.deferred;
      total.cancelled += r.cancelled;
      total.batches += 1;
      if (total.queued) this.ctx.kickOutbox();
      // Let Slack's requests and the outbox run between batches.
      await new Promise((resolve) => setImmediate(resolve));
      if (batch.length < BATCH) break;
    }
    if (total.batches) this.ctx.logger.info(total, 'reminders claimed');
    return total;
  }

  private async claimBatch(batch: DueReminder[], zones: Map<string, string>, now: Date) {
    const counts = { queued: 0, deferred: 0, cancelled: 0 };
    // Through group commit: on SQLite the batch's fsync runs off the event loop (a synchronous
    // one stalled it past 50 ms at 1 M pending / 10 k due); it resolves once durable.
    await this.ctx.db.groupCommit.run(async (trx) => {
      for (const [i, r] of batch.entries()) {
        // better-sqlite3 answers without yielding, so a batch would run as one block: let
        // the event loop serve requests every few reminders (the transaction stays open).
        if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        const mentionDone = r.mention_status === 'done';
        if (mentionDone || (r.kind === 'response_sla' && !slaStillApplies({ status: r.mention_status, first_action_at: r.first_action_at, email_drafted_by: r.email_drafted_by, rollup_id: r.rollup_id, opened_as_card_by: r.opened_as_card_by }))) {
          if (await cancelDueReminder(trx, r, now)) counts.cancelled++;
          continue;
        }
        const to = reminderRecipient({ reminderKind: r.kind, recipient: r.recipient, assignee: r.assignee, ownerSlackId: r.owner_slack_id, alertChannel: r.alert_channel, alertTs: r.alert_ts, rollupChannel: r.rollup_channel, rollupTs: r.rollup_ts });
        if (to.kind === 'none') {
          if (await deferDueReminder(trx, r, new Date(now.getTime() + NO_RECIPIENT_RETRY_MS), now)) counts.deferred++;
          continue;
        }
        if (to.kind === 'dm') {
          const next = nextWorkingTime(now, zones.get(to.user) ?? 'UTC', this.ctx.config.workHours);
          if (next.getTime() > now.getTime()) {
            if (await deferDueReminder(trx, r, next, now)) counts.deferred++;
            continue;
          }
        }
        if (!(await claimDueReminder(trx, r, now))) continue;
        await queueReminder(trx, to.kind === 'dm' ? { reminderId: r.id, dueAt: r.due_at, channel: to.user } : { reminderId: r.id, dueAt: r.due_at, channel: to.channel, threadTs: to.ts }, now);
        counts.queued++;
      }
    });
    return counts;
  }

  /** Slack time zones of the batch's DM recipients (users.info, cached for hours). */
  private async zonesFor(batch: DueReminder[]): Promise<Map<string, string>> {
    const zones = new Map<string, string>();
    if (this.ctx.config.workHours === 'always') return zones;
    const users = new Set(batch.map((r) => (r.kind === 'sphere_outreach' ? r.recipient : (r.assignee ?? r.owner_slack_id))).filter((u): u is string => Boolean(u)));
    for (const user of users) {
      const cached = this.tzCache.get(user);
      if (cached && cached.until > this.ctx.now().getTime()) {
        zones.set(user, cached.tz);
        continue;
      }
      try {
        const res = await this.slack.users.info({ user });
        const tz = res.user?.tz ?? 'UTC';
        this.tzCache.set(user, { tz, until: this.ctx.now().getTime() + TZ_CACHE_MS });
        zones.set(user, tz);
      } catch (err) {
        // Without a zone, UTC working hours are a safe default; try again next tick.
        this.ctx.logger.warn({ err, user }, 'could not read a rep\'s time zone; using UTC');
        zones.set(user, 'UTC');
      }
    }
    return zones;
  }
}
