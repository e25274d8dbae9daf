import { performance } from 'node:perf_hooks';
import { receivedMentionIds } from '../store/mentions';
import type { MentionId } from '../store/types';
import type { ServiceContext } from './context';

/**
 * The webhook's side of the received queue: the requests in flight (from their first byte),
 * whether the calling request's posts should wait their turn, and the posts stored as received.
 */
export interface ReceivedPosts {
  /** Called from inside a request: another request is in flight, or posts already wait. */
  shouldDefer(): boolean;
  requestStarted(): void;
  requestEnded(): void;
  /** Webhook requests in flight now, from their first byte (what a flood looks like from here). */
  requestsInFlight(): number;
  add(ids: readonly MentionId[]): void;
}

/**
 * While requests keep arriving, the oldest received post waits at most this long for them to
 * leave the CPU free, then posts are classified a few per turn between requests.
 */
const YIELD_MS = 500;
/** Posts classified per turn (about 0.6 ms of CPU each) while requests are in flight, and when none are: a turn stays short, so a click or a request that arrives meanwhile waits little. */
const BUSY_BATCH = 2;
const IDLE_BATCH = 8;
/**
 * Each instance looks this often (and once at start-up, for all of them) for received posts
 * older than ORPHAN_MS that no queue holds: an instance that stopped or crashed left them. A
 * live instance opens its own within a second or two; one that is that far behind in a flood
 * gets help, at the cost of classifying some posts twice (the conditional open keeps it harmless).
 */
const SWEEP_MS = 10_000;
const ORPHAN_MS = 30_000;
const SWEEP_PAGE = 500;

/**
 * Classifies and opens the mentions that a flood left received. Under a flood the main
 * thread's time goes to accepting posts first (each post's classification is about half of
 * its CPU): a post is stored as received, its sender answered, and its classification, card,
 * follow-ups and PV case come here in batches, as soon as the requests pause, or after
 * YIELD_MS a few at a time between them.
 *
 * Nothing depends on this queue's memory: a received mention is a row, and the start-up and
 * periodic sweeps find the rows any instance left behind. Opening is conditional on the row
 * still being received, so a post two queues hold opens once.
 *
 * Waiting times are read from the monotonic clock: they pace this process's own work and are
 * never stored or compared with a row's time.
 */
export class ReceivedQueue implements ReceivedPosts {
  /** Ids only, in arrival order, with when each was queued: the rows hold the rest. */
  private readonly items: { id: MentionId; at: number }[] = [];
  private readonly held = new Set<number>();
  private inFlight = 0;
  private turnScheduled = false;
  private running: Promise<void> | null = null;
  private wake: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: Pick<ServiceContext, 'db' | 'logger' | 'now'>,
    private readonly open: (ids: MentionId[]) => Promise<number>,
  ) {}

  shouldDefer(): boolean {
    return this.inFlight > 1 || this.items.length > 0;
  }

  requestStarted(): void {
    this.inFlight++;
  }

  requestEnded(): void {
    if (--this.inFlight === 0) this.kick();
  }

  requestsInFlight(): number {
    return this.inFlight;
  }

  add(ids: readonly MentionId[]): void {
    const at = performance.now();
    for (const id of ids) {
      if (this.held.has(id)) continue;
      this.held.add(id);
      this.items.push({ id, at });
    }
    this.kick();
  }

  /** Takes up every received mention in the database (a previous run's), then looks again every SWEEP_MS. */
  async start(): Promise<void> {
    await this.sweep(this.ctx.now());
    this.sweeper = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep(new Date(this.ctx.now().getTime() - ORPHAN_MS))
        .catch((err) => this.ctx.logger.error({ err }, 'looking for received mentions failed'))
        .finally(() => (this.sweeping = null));
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  /** Finishes the batch under way; what is still queued stays received for the next start (or another instance). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.wake) clearTimeout(this.wake);
    await this.sweeping;
    await this.running;
  }

  /** How many posts this instance holds for classification. */
  waiting(): number {
    return this.items.length;
  }

  private async sweep(before: Date): Promise<void> {
    let afterId = 0;
    for (;;) {
      const page = await receivedMentionIds(this.ctx.db.kysely, before, afterId, SWEEP_PAGE);
      if (page.length) this.add(page);
      if (page.length < SWEEP_PAGE) return;
      afterId = page[page.length - 1]!;
    }
  }

  private kick(): void {
    if (this.stopped || this.turnScheduled || this.running || this.items.length === 0) return;
    this.turnScheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.turnScheduled = false;
    if (this.stopped || this.running || this.items.length === 0) return;
    const waited = performance.now() - this.items[0]!.at;
    if (this.inFlight > 0 && waited < YIELD_MS) {
      // Requests first: the last one to end kicks again, or the oldest post's wait runs out.
      this.wake ??= setTimeout(() => {
        this.wake = null;
        this.kick();
      }, YIELD_MS - waited);
      return;
    }
    const batch = this.items.splice(0, this.inFlight > 0 ? BUSY_BATCH : IDLE_BATCH).map((i) => i.id);
    this.running = this.open(batch)
      .then(
        () => undefined,
        (err) => this.ctx.logger.error({ err, mentions: batch.length }, 'opening received mentions failed; they stay received and the sweep takes them up again'),
      )
      .finally(() => {
        for (const id of batch) this.held.delete(id);
        this.running = null;
        this.kick();
      });
  }
}
