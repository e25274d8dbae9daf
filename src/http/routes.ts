import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import { verifyBearer } from '../ingest/signature';
import type { ServiceContext } from '../services/context';
import { healthCheck, renderMetrics } from '../services/metrics';
import { handleMentionWebhook, sendJson, type WebhookIngress } from '../ingest/webhook';

/** Routes served beside Bolt's /slack/events, in HTTP and Socket Mode alike. */
/** How Slack reaches this instance: over HTTP, or over Socket Mode's WebSocket and its state. */
export interface SlackConnection {
  mode: 'http' | 'socket';
  state: 'connecting' | 'connected' | 'reconnecting' | 'disconnecting' | 'disconnected';
}

export function customRoutes(ctx: ServiceContext, webhook: WebhookIngress, slackConnection: SlackConnection): CustomRoute[] {
  const databaseHealth = healthCheck(ctx);
  // The webhook first: Bolt compiles each custom route's pattern anew on every request until one
  // matches (path-to-regexp, about 0.02 ms each), and the webhook is the busy one.
  return [
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
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        void databaseHealth().then((health) => {
          // In Socket Mode Slack's traffic arrives over one WebSocket: say whether it is up.
          const slack = slackConnection.mode === 'socket' ? { slack: slackConnection.state } : {};
          // The driver's own message stays in the log: this page is unauthenticated.
          sendJson(res, health.ok ? 200 : 503, health.ok ? { status: 'ok', ...slack } : { status: 'unavailable', reason: 'database', detail: health.problem, ...slack });
        });
      },
    },
    ...(ctx.config.metrics.port === undefined ? [{ path: '/metrics', method: ['GET'], handler: metricsHandler(ctx) }] : []),
  ];
}

/**
 * GET /metrics: behind `Authorization: Bearer METRICS_TOKEN` when it is set (compared in
 * constant time; 401 otherwise), served on METRICS_PORT instead of PORT when that is set.
 */
export function metricsHandler(ctx: ServiceContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const token = ctx.config.metrics.token;
    if (token && !verifyBearer(token, req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      sendJson(res, 401, { error: 'unauthorized' });
      return;
    }
    void renderMetrics(ctx)
      .then((text) => {
        res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType });
        res.end(text);
      })
      .catch((err) => {
        ctx.logger.error({ err }, 'metrics failed');
        sendJson(res, 503, { error: 'metrics_unavailable' });
      });
  };
}
