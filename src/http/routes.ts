import type { CustomRoute } from '@slack/bolt';
import { outboxStats } from '../store/outbox';
import { DUE_REMINDER } from '../domain/reminder-rules';
import type { ServiceContext } from '../services/context';
import { databaseAnswers, handleMentionWebhook, sendJson, type WebhookIngress } from '../ingest/webhook';

/** Routes served beside Bolt's /slack/events, in HTTP and Socket Mode alike. */
export function customRoutes(ctx: ServiceContext, webhook: WebhookIngress): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        void databaseAnswers(ctx).then((ok) => sendJson(res, ok ? 200 : 503, ok ? { status: 'ok' } : { status: 'unavailable', reason: 'database' }));
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        void renderMetrics(ctx)
          .then((text) => {
            res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
            res.end(text);
          })
          .catch((err) => {
            ctx.logger.error({ err }, 'metrics failed');
            sendJson(res, 503, { error: 'metrics_unavailable' });
          });
      },
    },
    {
      path: '/webhooks/mentions',
      method: ['POST'],
      handler: (req, res) => {
        handleMentionWebhook(ctx, webhook, req)
          .then((reply) => sendJson(res, reply.status, reply.body))
          .catch((err) => {
            // Nothing was committed (the transaction rolled back), so the sender may retry.
            ctx.logger.error({ err }, 'webhook failed');
            if (!res.headersSent) sendJson(res, 503, { error: 'unavailable', retry: true });
          });
      },
    },
  ];
}

async function renderMetrics(ctx: ServiceContext): Promise<string> {
  const now = ctx.now();
  const { depth, oldestAgeSeconds } = await outboxStats(ctx.db.kysely, now);
  ctx.metrics.outboxDepth.set(depth);
  ctx.metrics.outboxOldest.set(oldestAgeSeconds);
  const nowIso = now.toISOString();
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const due = await ctx.db.kysely
    .selectFrom('reminders')
    .select((eb) => [
      eb.fn.countAll<number>().as('due'),
      eb.fn.sum<number>(eb.case().when('due_at', '<', hourAgo).then(1).else(0).end()).as('overdue'),
    ])
    .where('status', 'in', DUE_REMINDER)
    .where('due_at', '<=', nowIso)
    .executeTakeFirst();
  ctx.metrics.remindersDue.set(Number(due?.due ?? 0));
  ctx.metrics.remindersOverdue.set(Number(due?.overdue ?? 0));
  return ctx.metrics.registry.metrics();
}
