import { App, ErrorCode, HTTPReceiver, LogLevel, type CustomRoute } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { createServer, type Server } from 'node:http';
import type { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { boltLogger, createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import { openDatabase, type Db } from './store/db';
import { OutboxWorker } from './delivery/outbox-worker';
import { slackFetch } from './delivery/slack-transport';
import { ReminderScheduler } from './scheduler/reminder-scheduler';
import { PvDeadlineWatch } from './scheduler/pv-deadline-watch';
import { loadPvMessageView, loadReferralMessageView } from './services/pv-views';
import { customRoutes, metricsHandler, type SlackConnection } from './http/routes';
import { prepareWebhook } from './ingest/webhook';
import type { ServiceContext } from './services/context';
import { registerHandlers } from '../handlers';
import { DEFAULT_TEMPLATES_FILE, loadEmailTemplates } from './services/email-templates';
import { cardLinksVia, loadDesk } from './services/desk';
import { loadAlertView } from './services/alert-view';
import { loadFollowUpView } from './services/follow-ups';
import { defaultClassifierThreads, startClassifierPool } from './services/classifier-pool';
import { ReceivedQueue } from './services/received-queue';
import { openReceivedMentions } from './services/log-mentions';

/**
 * Bolt's HTTP receiver, told how to answer what it cannot dispatch: a payload it cannot
 * authorise (no team, say) is the sender's error (400), not ours (500).
 */
function httpReceiver(config: Config, ctx: ServiceContext, routes: CustomRoute[]): HTTPReceiver {
  return new HTTPReceiver({
    signingSecret: config.slack.signingSecret!,
    customRoutes: routes,
    logger: boltLogger(ctx.logger),
    processEventErrorHandler: async ({ error, response }) => {
      // Bolt reads the payload's team and user before any listener runs: a payload without
      // them fails there, as an authorisation error or a TypeError.
      const unexpected = (error as { code?: string }).code === ErrorCode.AuthorizationError || error instanceof TypeError;
      if (unexpected) ctx.logger.warn({ err: error }, 'refused a Slack payload of an unexpected shape');
      else ctx.logger.error({ err: error }, 'a Slack request failed');
      if (!response.headersSent) {
        response.writeHead(unexpected ? 400 : 500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: unexpected ? 'unexpected_payload' : 'internal_error' }));
      }
      return true;
    },
  });
}

const describeSlackError = (err: unknown): string => {
  const e = err as { data?: { error?: string }; code?: string; message?: string };
  return e?.data?.error ?? e?.code ?? e?.message ?? String(err);
};

export interface Pulse {
  ctx: ServiceContext;
  scheduler: ReminderScheduler;
  /** The HTTP port actually bound (useful with PORT=0). */
  port: number;
  /** The port /metrics is served on when METRICS_PORT is set. */
  metricsPort: number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  now?: () => Date;
}

/** Assembles the bot: store, Slack clients, outbox worker, Bolt app with our routes. */
export async function startPulse(config: Config, options: StartOptions = {}): Promise<Pulse> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const emailTemplates = loadEmailTemplates(config.emailTemplatesFile ?? DEFAULT_TEMPLATES_FILE);
  // Read before the database opens: a bad mapping file is a start-up error that leaves nothing open.
  const webhook = prepareWebhook(config);
  const db: Db = await openDatabase(config.databaseUrl, {
    poolMax: config.databasePoolMax,
    // The pool replaces the connection; /healthz reports an outage that lasts.
    onConnectionError: (err) => logger.warn({ err }, 'a database connection was dropped; it will be replaced'),
  });
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    logLevel: LogLevel.WARN,
    // Interactive calls (views.open) must not sit in a retry queue past a 3-second trigger.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
  // The outbox owns retries and pacing for deliveries, so its client never retries on its own.
  // It sends over the same keep-alive transport as the click client: every card, update and
  // reminder is a Slack call, and the global fetch cost about 30% more CPU per call. Putting
  // deliveries back on the global fetch did not speed up ingest: during the bench's ingests
  // Slack's per-channel pacing lets only a few cards a second out, and delivery was under 3%
  // of the bot's CPU (bench profile); five paired rounds of `--only ingest` (busy machine) gave ingest/bare
  // 1.00 idle and 1.49 with a backlog on this transport against 0.76 and 1.04 on fetch.
  const deliveryClient = new WebClient(config.slack.botToken, { ...clientOptions, fetch: slackFetch });

  let worker: OutboxWorker | null = null;
  // Started early: its threads load the weights while the rest of the bot starts. Not awaited:
  // the bot listens sooner than when its main thread loaded them, and a post that arrives
  // first waits for them (about a second compiled on a busy 2-core machine; Slack allows 3 s for a command).
  const classifier = startClassifierPool(config.classifierThreads ?? defaultClassifierThreads(), logger);
  const metrics = createMetrics();
  const now = options.now ?? (() => new Date());
  const received = new ReceivedQueue({ db, logger, now }, (batch) => openReceivedMentions(ctx, batch));
  const ctx: ServiceContext = {
    db,
    config,
    logger,
    metrics,
    emailTemplates,
    classifier,
    received,
    now,
    kickOutbox: () => worker?.kick(),
  };
  // Delivery renders from the store's current state through these views; it calls no service.
  worker = new OutboxWorker(
    {
      ...ctx,
      views: {
        alert: (mentionId) => loadAlertView(db.kysely, config, mentionId),
        followUp: (reminderId) => loadFollowUpView(db.kysely, reminderId),
        home: (user) => loadDesk(ctx, user, cardLinksVia(deliveryClient)),
        pvCase: (caseId) => loadPvMessageView(db.kysely, config, caseId),
        referral: (referralId) => loadReferralMessageView(db.kysely, referralId),
      },
    },
    deliveryClient,
  );

  const socketMode = Boolean(config.slack.appToken);
  const slackConnection: SlackConnection = { mode: socketMode ? 'socket' : 'http', state: 'connecting' };
  const routes = customRoutes(ctx, webhook, slackConnection);
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode
      ? { socketMode: true, appToken: config.slack.appToken, port: config.port, customRoutes: routes }
      : { receiver: httpReceiver(config, ctx, routes) }),
    // The client that answers clicks (views.open within the trigger's 3 s) uses the lighter
    // transport too.
    clientOptions: { ...clientOptions, fetch: slackFetch },
    logger: boltLogger(logger),
    convoStore: false,
    // Initialise explicitly so a bad token or an unreachable Slack is a clear start-up error,
    // not an unhandled rejection from Bolt's constructor.
    deferInitialization: true,
  });
  if (socketMode) watchSocket(app, slackConnection, ctx);
  registerHandlers(app, ctx);
  app.error(async (err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
  });

  let server: Server | undefined;
  try {
    await app.init().catch((err: unknown) => {
      throw new Error(
        `could not verify SLACK_BOT_TOKEN with Slack at ${config.slack.apiUrl} (${describeSlackError(err)}): check the token, SLACK_API_URL and the network`,
      );
    });
    const started = await app.start(config.port);
    server = socketMode ? undefined : (started as Server);
  } catch (err) {
    await classifier.stop();
    await db.close();
    throw err;
  }
  if (server) timeAcks(server, ctx);
  let metricsServer: Server | undefined;
  if (config.metrics.port !== undefined) {
    try {
      metricsServer = await listenForMetrics(config.metrics.port, ctx);
    } catch (err) {
      await app.stop().catch(() => undefined);
      await classifier.stop();
      await db.close();
      throw new Error(`could not listen on METRICS_PORT ${config.metrics.port}: ${(err as Error).message}`);
    }
  }
  const port = server ? (server.address() as AddressInfo).port : config.port;
  const metricsPort = metricsServer ? (metricsServer.address() as AddressInfo).port : undefined;
  await worker.start();
  await received.start();
  const scheduler = new ReminderScheduler(ctx, deliveryClient);
  await scheduler.start();
  const pvWatch = new PvDeadlineWatch(ctx);
  await pvWatch.start();
  logger.info({ port, mode: socketMode ? 'socket' : 'http', database: db.dialect, webhook: webhook.enabled }, 'HCP Pulse is running');

  let stopping: Promise<void> | null = null;
  return {
    ctx,
    scheduler,
    port,
    metricsPort,
    stop: () =>
      (stopping ??= (async () => {
        await app.stop().catch((err) => logger.warn({ err }, 'stopping the Slack receiver failed'));
        if (metricsServer) {
          metricsServer.closeAllConnections();
          await new Promise<void>((r) => metricsServer!.close(() => r()));
        }
        await received.stop();
        await scheduler.stop();
        await pvWatch.stop();
        await worker!.stop();
        await classifier.stop();
        await db.close();
        logger.info('HCP Pulse stopped');
      })()),
  };
}

/**
 * Time to ack, as Slack sees it: from a request reaching /slack/events to the end of our
 * answer (Slack gives up after 3 s). Interactions and commands come form-encoded; events as JSON.
 */
function timeAcks(server: Server, ctx: ServiceContext): void {
  server.prependListener('request', (req, res) => {
    if (req.method !== 'POST' || !(req.url ?? '').startsWith('/slack/events')) return;
    const started = performance.now();
    const kind = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? 'interactive' : 'event';
    res.once('finish', () => ctx.metrics.slackAck.observe({ kind }, (performance.now() - started) / 1000));
  });
}

/** METRICS_PORT: /metrics alone on its own port, so it can stay off the public listener. */
async function listenForMetrics(port: number, ctx: ServiceContext): Promise<Server> {
  const handler = metricsHandler(ctx);
  const server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/metrics' && req.method === 'GET') return handler(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** Socket Mode: follow the WebSocket's state for /healthz and the connected gauge. */
function watchSocket(app: App, conn: SlackConnection, ctx: ServiceContext): void {
  const client = (app as unknown as { receiver?: { client?: EventEmitter } }).receiver?.client;
  if (!client) return;
  const set = (state: SlackConnection['state']) => {
    conn.state = state;
    ctx.metrics.slackSocketConnected.set(state === 'connected' ? 1 : 0);
  };
  for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected'] as const) client.on(state, () => set(state));
  // The socket closed under us (the client reconnects after a pause, announcing 'reconnecting' only then).
  client.on('close', () => set('disconnected'));
}
