import { databaseAnswers, type DatabaseHealth } from '../store/db';
import { outboxStats, outboxStatsByPriority } from '../store/outbox';
import { countDueReminders } from '../store/reminders';
import { countOpenPvCases } from '../store/pv-cases';
import { receivedStats } from '../store/mentions';
import type { ServiceContext } from './context';

/**
 * /healthz: the bot is healthy while its database answers. A change either way is logged once
 * (with the driver's error when it went down), not on every probe.
 */
export function healthCheck(ctx: ServiceContext): () => Promise<DatabaseHealth> {
  let wasOk = true;
  return async () => {
    const health = await databaseAnswers(ctx.db);
    if (health.ok !== wasOk) {
      wasOk = health.ok;
      if (health.ok) ctx.logger.info('the database answers again');
      else ctx.logger.error({ err: health.error, problem: health.problem }, '/healthz: the database is down');
    }
    return health;
  };
}

/** The /metrics page: the gauges read from the database at scrape time, then every metric as text. */
export async function renderMetrics(ctx: ServiceContext): Promise<string> {
  const now = ctx.now();
  const { depth, oldestAgeSeconds } = await outboxStats(ctx.db.kysely, now);
  ctx.metrics.outboxDepth.set(depth);
  ctx.metrics.outboxOldest.set(oldestAgeSeconds);
  for (const p of await outboxStatsByPriority(ctx.db.kysely, now)) {
    ctx.metrics.outboxDepthByPriority.set({ priority: p.priority }, p.depth);
    ctx.metrics.outboxOldestByPriority.set({ priority: p.priority }, p.oldestAgeSeconds);
  }
  const { due, overdue } = await countDueReminders(ctx.db.kysely, now);
  ctx.metrics.remindersDue.set(due);
  ctx.metrics.remindersOverdue.set(overdue);
  const received = await receivedStats(ctx.db.kysely, now);
  ctx.metrics.mentionsUnclassified.set(received.count);
  ctx.metrics.mentionsUnclassifiedOldest.set(received.oldestAgeSeconds);
  const pv = await countOpenPvCases(ctx.db.kysely, now);
  ctx.metrics.pvCasesOpen.set(pv.open);
  ctx.metrics.pvCasesPastDeadline.set(pv.pastDeadline);
  return ctx.metrics.registry.metrics();
}
