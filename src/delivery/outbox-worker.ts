import type { WebClient } from '@slack/web-api';
import type { ServiceContext } from '../services/context';
import type { OutboxRow } from '../store/schema';
import { claimDue, markFailed, markInFlight, markSent, markSkipped, outboxPayloadSchema, release, releaseAllLeases, reschedule, type OutboxPayload } from '../store/outbox';
import { afterDelivered, delivered, METADATA_EVENT, NotReady, perform, postsNewMessage, slackMethodOf, threadOf } from './effects';
import { backoffMs, CHANNEL_ERRORS, classifySlackError } from './slack-errors';

const LEASE_MS = 60_000;
const BATCH = 20;
const POLL_MS = 1_000;
/** Slack's chat.postMessage allows about one message per second per channel. */
const CHANNEL_GAP_MS = 1_000;
const NOT_READY_DELAY_MS = 1_000;

/**
 * Drains the outbox to Slack: claims due entries, sends each with per-channel pacing, and
 * records the outcome. A 429 waits Retry-After, a 5xx or network error backs off, a crash
 * mid-send is resolved at the next claim by looking for the message we may have posted.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly channelReadyAt = new Map<string, number>();
  private pausedUntil = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly slack: WebClient,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    if (this.ctx.db.dialect === 'sqlite') await releaseAllLeases(this.ctx.db.kysely);
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Runs a drain now, or right after the one in progress. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.ctx.logger.error({ err }, 'outbox drain failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const now = this.ctx.now();
      if (now.getTime() < this.pausedUntil) return;
      const batch = await claimDue(this.ctx.db.kysely, now, LEASE_MS, BATCH);
      if (batch.length === 0) return;
      for (const entry of batch) {
        if (this.stopped) {
          await release(this.ctx.db.kysely, entry.id, this.ctx.now());
          continue;
        }
        await this.deliver(entry);
      }
    }
  }

  private async deliver(entry: OutboxRow): Promise<void> {
    const log = this.ctx.logger.child({ outboxId: entry.id, kind: entry.kind });
    const parsed = outboxPayloadSchema.safeParse(JSON.parse(entry.payload));
    if (!parsed.success) {
      log.error({ issues: parsed.error.issues }, 'outbox entry has an unreadable payload; marked failed');
      await markFailed(this.ctx.db.kysely, entry.id, 'unreadable payload');
      return;
    }
    const payload = parsed.data;
    const posts = postsNewMessage(payload);
    const effect = { ctx: this.ctx, slack: this.slack, outboxId: entry.id, attempts: entry.attempts };
    try {
      if (posts && entry.in_flight === 1) {
        // The last attempt died mid-send: Slack may have the message already.
        const found = await this.findPosted(entry.id, payload.channel, entry.created_at, threadOf(payload));
        if (found) {
          log.warn({ ts: found }, 'found the message of an interrupted send; not posting it again');
          // What it shows is as old as the crash: version 0 never matches, so it is refreshed.
          await this.recordDelivered(entry, payload, found, 0);
          return;
        }
      }
      if (posts && !this.takeChannelSlot(payload.channel)) {
        // The channel had a message this last second: come back then, serve other channels now.
        const at = this.channelReadyAt.get(payload.channel)!;
        setTimeout(() => this.kick(), Math.max(0, at - Date.now())).unref();
        await release(this.ctx.db.kysely, entry.id, new Date(at));
        return;
      }
      await markInFlight(this.ctx.db.kysely, entry.id);
      const outcome = await perform(effect, payload);
      if ('skip' in outcome) {
        log.info({ why: outcome.skip }, 'skipped');
        await markSkipped(this.ctx.db.kysely, entry.id, outcome.skip);
        return;
      }
      await this.recordDelivered(entry, payload, outcome.ts, outcome.renderedVersion);
      log.info({ channel: payload.channel, ts: outcome.ts }, 'delivered');
      await afterDelivered(effect, payload);
    } catch (err) {
      await this.handleFailure(entry, payload, err);
    }
  }

  private async recordDelivered(entry: OutboxRow, payload: OutboxPayload, ts: string, renderedVersion?: number): Promise<void> {
    const now = this.ctx.now();
    await this.ctx.db.kysely.transaction().execute(async (trx) => {
      await markSent(trx, entry.id, { channel: payload.channel, ts }, now);
      await delivered(this.ctx, trx, payload, ts, now, renderedVersion);
    });
  }

  private async handleFailure(entry: OutboxRow, payload: OutboxPayload, err: unknown): Promise<void> {
    if (err instanceof NotReady) {
      // Waiting for the card this entry links to: not a Slack failure.
      setTimeout(() => this.kick(), NOT_READY_DELAY_MS).unref();
      await reschedule(this.ctx.db.kysely, entry.id, new Date(this.ctx.now().getTime() + NOT_READY_DELAY_MS), 'waiting for the alert card');
      return;
    }
    const failure = classifySlackError(err);
    const db = this.ctx.db.kysely;
    const now = this.ctx.now().getTime();
    this.ctx.metrics.slackErrors.inc({ method: slackMethodOf(payload), code: failure.code });
    const log = this.ctx.logger.child({ outboxId: entry.id, channel: payload.channel, code: failure.code, attempt: entry.attempts });
    if (failure.kind === 'rate_limited') {
      // Slack's limit is per method and workspace: hold every send, not just this one.
      this.pausedUntil = now + failure.retryAfterMs;
      setTimeout(() => this.kick(), failure.retryAfterMs).unref();
      log.warn({ retryAfterMs: failure.retryAfterMs }, 'Slack rate limit; waiting Retry-After');
      await reschedule(db, entry.id, new Date(now + failure.retryAfterMs), failure.code);
      return;
    }
    if (failure.kind === 'permanent') {
      if (CHANNEL_ERRORS.has(failure.code) && payload.kind === 'alert_card' && payload.role === 'alert' && payload.channel !== this.ctx.config.channels.alert) {
        log.error(`cannot post to the roster's channel (${failure.code}); sending the card to ALERT_CHANNEL_ID instead`);
        await db
          .updateTable('outbox')
          .set({ payload: JSON.stringify({ ...payload, channel: this.ctx.config.channels.alert }), next_attempt_at: new Date(now).toISOString(), locked_until: null, in_flight: 0, last_error: failure.code })
          .where('id', '=', entry.id)
          .execute();
        this.kick();
        return;
      }
      log.error({ err }, `Slack refused ${payload.kind} (${failure.code}); fix the cause (channel id, bot membership, scopes)`);
      await markFailed(db, entry.id, failure.code);
      return;
    }
    const delay = backoffMs(entry.attempts + 1);
    log.warn({ retryInMs: delay }, 'Slack send failed; retrying with backoff');
    setTimeout(() => this.kick(), delay).unref();
    await reschedule(db, entry.id, new Date(now + delay), failure.code);
  }

  /** Slack allows about one message per second per channel: true when this one may go now. */
  private takeChannelSlot(channel: string): boolean {
    const now = Date.now();
    if ((this.channelReadyAt.get(channel) ?? 0) > now) return false;
    this.channelReadyAt.set(channel, now + CHANNEL_GAP_MS);
    if (this.channelReadyAt.size > 10_000) {
      for (const [c, t] of this.channelReadyAt) if (t <= now) this.channelReadyAt.delete(c);
    }
    return true;
  }

  /** Looks for a message carrying this entry's id in its metadata, posted since the entry was created. */
  private async findPosted(outboxId: number, channel: string, since: string, threadTs?: string): Promise<string | null> {
    const oldest = String(Math.floor(Date.parse(since) / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = threadTs
        ? await this.slack.conversations.replies({ channel, ts: threadTs, oldest, include_all_metadata: true, limit: 200, cursor })
        : await this.slack.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200, cursor });
      for (const m of res.messages ?? []) {
        const meta = (m as { metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } } }).metadata;
        if (meta?.event_type === METADATA_EVENT && Number(meta.event_payload?.outbox_id) === outboxId && m.ts) return m.ts;
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return null;
  }
}
