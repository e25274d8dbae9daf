import type { CustomRoute } from '@slack/bolt';
import type { ServiceContext } from '../services/context';
import { isHealthy, renderMetrics } from '../services/metrics';
import { handleMentionWebhook, sendJson, type WebhookIngress } from '../ingest/webhook';

/** Routes served beside Bolt's /slack/events, in HTTP and Socket Mode alike. */
export function customRoutes(ctx: ServiceContext, webhook: WebhookIngress): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        void isHealthy(ctx).then((ok) => sendJson(res, ok ? 200 : 503, ok ? { status: 'ok' } : { status: 'unavailable', reason: 'database' }));
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
