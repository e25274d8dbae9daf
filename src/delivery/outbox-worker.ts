import type { WebClient } from '@slack/web-api';
import type { OutboxRow } from '../store/schema';
import {
  claimSendable,
  paceChannel,
  markDelivered,
  markFailed,
  markSkipped,
  nextSendableAt,
  outboxPayloadSchema,
  redirectTo,
  releaseAllLeases,
  retryLater,
  type OutboxPayload,
} from '../store/outbox';
import { afterDelivered, delivered, METADATA_EVENT, NotReady, perform, postsNewMessage, slackMethodOf, threadOf, type DeliveryContext } from './effects';
import { backoffMs, CHANNEL_ERRORS, classifySlackError } from './slack-errors';
import { burstFolder, unfoldRefusedRollup } from '../store/rollups';

/**
 * How long a claim holds its entry. It must outlast one send (the Slack client gives up after
 * 10 s); past it, an instance that died mid-send (SIGKILL, a lost host) has its entries taken
 * over by another, which first looks for the message the dead one may have posted. SQLite
 * (one instance) frees every lease at start; on PostgreSQL a survivor waits this long.
 */
const LEASE_MS = 30_000;
/** Most entries sent at once: one post per ready channel plus updates in place. */
const BATCH = 32;
/** Catches what another instance queued, and anything a lost wake-up would leave waiting. */
const POLL_MS = 1_000;
/** Slack's chat.postMessage allows about one message per second per channel. */
export const CHANNEL_GAP_MS = 1_000;
/** A channel whose post is in flight takes no other; past this (a crash), it is free again. */
const IN_FLIGHT_HOLD_MS = 15_000;
const NOT_READY_DELAY_MS = 1_000;
/** A timer may fire a millisecond before the clock reaches its time (libuv's cached loop time). */
const WAKE_SLACK_MS = 2;
/** A pass that fails (the database is down) waits 1, 2, 4, 8 s… up to this before the next. */
const DRAIN_RETRY_MAX_MS = 8_000;
/**
 * Passes start at least this far apart while posts wait for their channel's pacing. Every
 * webhook commit kicks the worker; under a stream of webhooks that was a pass (a claim
 * transaction and its queries) per commit, most finding nothing sendable (the channel is
 * paced), about a tenth of the bot's CPU in the bench profile. Kicks within the gap share one
 * pass at its end. A kick after a pass that left nothing waiting is never delayed: whatever
 * it brings is new and its channel free, as for one card after another on a quiet bot (the
 * gap was most of webhook → card there).
 */
const MIN_PASS_GAP_MS = 20;

/**
 * Drains the outbox to Slack. Each pass claims only what may be sent now (the claim knows
 * each channel's pacing and each entry's urgency; store/outbox.ts), sends those at once, and
 * records each outcome. Nothing is written for an entry that waits. A 429 holds that channel
 * (or the update lane) for Retry-After, a 5xx backs off, and a send whose outcome is unknown
 * (a crash, a timeout) is resolved before any new attempt by looking for the message we may
 * have posted; while that look-up fails, nothing is decided.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | null = null;
  private wake: { timer: NodeJS.Timeout; at: number } | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private updatesPausedUntil = 0;
  /** Folds a burst's low-priority cards when a channel's queue would hold one past BURST_HOLD_SECONDS. */
  private readonly fold: ReturnType<typeof burstFolder>;
  private drainFailures = 0;
  private drainRetryAt = 0;
  /** When the last pass began (performance.now()). */
  private lastPassAt = Number.NEGATIVE_INFINITY;
  /** Whether the last pass left posts waiting for a paced channel (kicks are then spaced). */
  private lastPassLeftWaiting = false;

  constructor(
    private readonly ctx: DeliveryContext,
    private readonly slack: WebClient,
  ) {
    this.fold = burstFolder({ holdMs: ctx.config.burstHoldSeconds * 1000, gapMs: CHANNEL_GAP_MS });
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.ctx.db.dialect === 'sqlite') await releaseAllLeases(this.ctx.db.kysely);
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Runs a pass now, or right after the one in progress (MIN_PASS_GAP_MS after the last one began if posts wait). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Backing off after a failed pass: the poll kicks again once the wait is over.
    if (performance.now() < this.drainRetryAt) return;
    const sinceLast = performance.now() - this.lastPassAt;
    if (sinceLast < MIN_PASS_GAP_MS && this.lastPassLeftWaiting) {
      this.wakeAt(performance.now() + (MIN_PASS_GAP_MS - sinceLast));
      return;
    }
    this.lastPassAt = performance.now();
    this.running = this.drain()
      .then(() => {
        if (this.drainFailures > 0) this.ctx.logger.info({ failedPasses: this.drainFailures }, 'outbox drain works again');
        this.drainFailures = 0;
        this.drainRetryAt = 0;
      })
      .catch((err) => {
        const retryInMs = Math.min(DRAIN_RETRY_MAX_MS, POLL_MS * 2 ** this.drainFailures);
        this.drainFailures += 1;
        this.drainRetryAt = performance.now() + retryInMs;
        this.again = false;
        this.ctx.logger.error({ err, retryInMs }, 'outbox drain failed; will retry');
      })
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
    if (this.wake) clearTimeout(this.wake.timer);
    await this.running;
  }

  /**
   * One wake-up timer, at the earliest time something becomes sendable. Timers run on the
   * process's monotonic clock (`performance.now()`), immune to wall-clock steps; what is due is
   * decided by the injected clock (`ctx.now()`), so a wake-up only asks the claim to look.
   */
  private wakeAt(at: number): void {
    if (this.stopped) return;
    if (this.wake && this.wake.at <= at) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = null;
      this.kick();
    }, Math.max(0, at - performance.now()));
    timer.unref();
    this.wake = { timer, at };
  }

  private async drain(): Promise<void> {
    const db = this.ctx.db;
    let claimedAt = this.ctx.now();
    while (!this.stopped) {
      // What a webhook committed is sent only once it is on disk (its WAL sync may still run).
      await db.groupCommit.durableSoFar();
      const now = this.ctx.now();
      claimedAt = now;
      const stats = { folded: 0 };
      const batch = await claimSendable(db.kysely, now, {
        dialect: db.dialect,
        leaseMs: LEASE_MS,
        limit: BATCH,
        inFlightHoldMs: IN_FLIGHT_HOLD_MS,
        lanes: { post: true, update: now.getTime() >= this.updatesPausedUntil },
        fold: this.fold,
        stats,
      });
      if (stats.folded > 0) {
        this.ctx.metrics.postsFolded.inc(stats.folded);
        this.ctx.logger.info({ folded: stats.folded }, 'burst: low-priority cards folded into a roll-up');
      }
      if (batch.length === 0) break;
      // A thread reply links to a card: let the cards of this batch go first.
      const linking = (e: { kind: string }) => e.kind === 'intake_reply';
      await Promise.all(batch.filter((e) => !linking(e)).map((entry) => this.deliver(entry)));
      await Promise.all(batch.filter(linking).map((entry) => this.deliver(entry)));
    }
    if (this.stopped) return;
    // Sleep until a paced channel opens (another instance may have paced it). Asked as of the
    // last claim's clock reading, not a fresh one: a channel that opened between the two was
    // neither claimed nor "opening later", so no wake-up was set and its post waited for the
    // poll. A wake-up aimed at the channel's time tends to land just there (a timer can fire a
    // millisecond early), so in a burst every other card waited up to a second (bench profile:
    // gaps of 1.0 and 2.0 s alternating; 38 posts took 52 s).
    const next = await nextSendableAt(db.kysely, claimedAt);
    this.lastPassLeftWaiting = next !== null;
    if (next) this.wakeAt(performance.now() + Math.max(0, next.getTime() - this.ctx.now().getTime()) + WAKE_SLACK_MS);
  }

  private async deliver(entry: OutboxRow & { interrupted: boolean }): Promise<void> {
    const paced = { done: false };
    try {
      await this.attempt(entry, paced);
    } finally {
      // Whatever happened, the channel's next post waits a gap from now (unless already set).
      if (entry.lane === 'post' && entry.channel && !paced.done) {
        await paceChannel(this.ctx.db.kysely, entry.channel, new Date(this.ctx.now().getTime() + CHANNEL_GAP_MS)).catch((err) =>
          this.ctx.logger.error({ err }, 'could not pace a channel; its lease will free it'),
        );
      }
      if (entry.lane === 'post') this.wakeAt(performance.now() + CHANNEL_GAP_MS);
    }
  }

  private async attempt(entry: OutboxRow & { interrupted: boolean }, paced: { done: boolean }): Promise<void> {
    const db = this.ctx.db.kysely;
    const log = this.ctx.logger.child({ outboxId: entry.id, kind: entry.kind });
    let payload: OutboxPayload;
    try {
      payload = outboxPayloadSchema.parse(JSON.parse(entry.payload));
    } catch (err) {
      log.error({ err }, 'outbox entry has an unreadable payload; marked failed');
      await markFailed(db, entry.id, 'unreadable payload');
      return;
    }
    const posts = postsNewMessage(payload);
    const effect = { ctx: this.ctx, slack: this.slack, outboxId: entry.id, attempts: entry.attempts };
    if (posts && entry.interrupted) {
      // The last attempt's outcome is unknown (a crash, a timeout): Slack may have the message.
      let found: string | null;
      try {
        found = await this.findPosted(entry.id, payload.channel, entry.created_at, threadOf(payload));
      } catch (err) {
        // A look-up that fails decides nothing: the entry stays in flight and is looked up again.
        const failure = classifySlackError(err);
        const delay = failure.kind === 'rate_limited' ? failure.retryAfterMs : backoffMs(entry.attempts);
        this.ctx.metrics.slackErrors.inc({ method: threadOf(payload) ? 'conversations.replies' : 'conversations.history', code: failure.code });
        log.error({ code: failure.code, retryInMs: delay }, 'cannot tell whether an interrupted send reached Slack (the look-up failed); not posting until it can be checked');
        this.wakeAt(performance.now() + delay);
        await retryLater(db, entry.id, new Date(this.ctx.now().getTime() + delay), `lookup failed: ${failure.code}`, false);
        return;
      }
      if (found) {
        log.warn({ ts: found }, 'found the message of an interrupted send; not posting it again');
        // What it shows is as old as the crash: version 0 never matches, so it is refreshed.
        await this.recordDelivered(entry, payload, found, 0, paced);
        return;
      }
    }
    try {
      const outcome = await perform(effect, payload);
      if ('skip' in outcome) {
        log.info({ why: outcome.skip }, 'skipped');
        await markSkipped(db, entry.id, outcome.skip);
        return;
      }
      await this.recordDelivered(entry, payload, outcome.ts, outcome.renderedVersion, paced);
      log.debug({ channel: payload.channel, ts: outcome.ts }, 'delivered');
      await afterDelivered(effect, payload);
    } catch (err) {
      await this.handleFailure(entry, payload, err, paced);
    }
  }

  private async recordDelivered(entry: OutboxRow, payload: OutboxPayload, ts: string, renderedVersion: number | undefined, paced: { done: boolean }): Promise<void> {
    const now = this.ctx.now();
    await this.ctx.db.kysely.transaction().execute(async (trx) => {
      await markDelivered(trx, entry.id, { channel: payload.channel, ts }, now);
      await delivered(this.ctx, trx, payload, ts, now, renderedVersion);
      // Slack's pacing counts from its answer; recorded in the same commit.
      if (entry.lane === 'post' && entry.channel) await paceChannel(trx, entry.channel, new Date(now.getTime() + CHANNEL_GAP_MS));
    });
    paced.done = true;
  }

  private async handleFailure(entry: OutboxRow, payload: OutboxPayload, err: unknown, paced: { done: boolean }): Promise<void> {
    const db = this.ctx.db.kysely;
    const now = this.ctx.now().getTime();
    if (err instanceof NotReady) {
      // Waiting for the card this entry links to: not a Slack failure.
      this.wakeAt(performance.now() + NOT_READY_DELAY_MS);
      await retryLater(db, entry.id, new Date(now + NOT_READY_DELAY_MS), 'waiting for the alert card');
      return;
    }
    const failure = classifySlackError(err);
    this.ctx.metrics.slackErrors.inc({ method: slackMethodOf(payload), code: failure.code });
    const log = this.ctx.logger.child({ outboxId: entry.id, channel: payload.channel, code: failure.code, attempt: entry.attempts });
    if (failure.kind === 'rate_limited') {
      const until = new Date(now + failure.retryAfterMs);
      // A post waits with its channel; updates share chat.update's budget, so they all wait.
      if (entry.lane === 'post') {
        await paceChannel(db, payload.channel, until);
        paced.done = true;
      } else this.updatesPausedUntil = until.getTime();
      this.wakeAt(performance.now() + failure.retryAfterMs);
      log.warn({ retryAfterMs: failure.retryAfterMs }, 'Slack rate limit; waiting Retry-After');
      await retryLater(db, entry.id, until, failure.code);
      return;
    }
    if (failure.kind === 'permanent') {
      if (CHANNEL_ERRORS.has(failure.code) && payload.kind === 'alert_card' && payload.role === 'alert' && payload.channel !== this.ctx.config.channels.alert) {
        log.error(`cannot post to the roster's channel (${failure.code}); sending the card to ALERT_CHANNEL_ID instead`);
        await redirectTo(db, entry.id, { ...payload, channel: this.ctx.config.channels.alert }, new Date(now), failure.code);
        this.kick();
        return;
      }
      log.error({ err }, `Slack refused ${payload.kind} (${failure.code}); fix the cause (channel id, bot membership, scopes)`);
      if (payload.kind === 'rollup') {
        // Its posts must not stay hidden behind a message that will never exist: each goes on its own.
        const queued = await db.transaction().execute(async (trx) => {
          await markFailed(trx, entry.id, failure.code);
          return unfoldRefusedRollup(trx, payload.rollupId, new Date(now));
        });
        log.error({ cards: queued }, 'the roll-up was refused; its posts are queued as cards of their own');
        this.kick();
        return;
      }
      await markFailed(db, entry.id, failure.code);
      return;
    }
    const delay = backoffMs(entry.attempts);
    // No answer at all (a timeout, a dropped connection): Slack may have posted it.
    const outcomeKnown = failure.code !== 'network';
    log.warn({ retryInMs: delay }, 'Slack send failed; retrying with backoff');
    this.wakeAt(performance.now() + delay);
    await retryLater(db, entry.id, new Date(now + delay), failure.code, outcomeKnown || !postsNewMessage(payload));
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
