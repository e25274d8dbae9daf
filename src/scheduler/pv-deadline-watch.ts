import cron, { type ScheduledTask } from 'node-cron';
import type { ServiceContext } from '../services/context';
import { escalateOverdueCases } from '../services/pv-cases';

/**
 * Watches PV deadlines on the reminder scheduler's rhythm (REMINDER_CRON), and once at start
 * to catch deadlines that passed while the bot was down. Each overdue, unacknowledged case is
 * escalated once: the claim is in the database, so restarts and other instances agree.
 */
export class PvDeadlineWatch {
  private task: ScheduledTask | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly ctx: ServiceContext) {}

  async start(): Promise<void> {
    if (!this.ctx.config.channels.pv) return; // no PV channel, no cases to watch
    this.task = cron.schedule(this.ctx.config.reminderCron, () => void this.tick(), { name: 'hcp-pulse-pv-deadlines', noOverlap: true });
    await this.tick();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    await this.running;
  }

  /** One pass; concurrent calls share the pass in progress. */
  tick(): Promise<number> {
    this.running ??= escalateOverdueCases(this.ctx)
      .catch((err) => {
        this.ctx.logger.error({ err }, 'PV deadline check failed; the next tick retries');
        return 0;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }
}
