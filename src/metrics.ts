import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A mention's `source` is chosen by the sender: as a label it could grow the series without
 * bound. Known networks and tools keep their name, anything else is counted as "other".
 */
const KNOWN_SOURCES = new Set([
  'x', 'twitter', 'linkedin', 'bluesky', 'threads', 'mastodon', 'facebook', 'instagram', 'reddit', 'youtube', 'tiktok',
  'meltwater', 'brandwatch', 'sprout', 'talkwalker', 'webhook', 'web', 'news', 'blog', 'forum',
]);
export const sourceLabel = (source: string): string => (KNOWN_SOURCES.has(source) ? source : 'other');

/** Prometheus metrics of one bot instance (CONTRACT.md, GET /metrics). */
export function createMetrics() {
  const registry = new Registry();
  const mentions = new Counter({
    name: 'hcp_pulse_mentions_total',
    help: 'Mentions received, by source and outcome (accepted, duplicate, rejected)',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const cardsSent = new Counter({
    name: 'hcp_pulse_cards_sent_total',
    help: 'Alert cards posted to Slack, by role (alert, pv)',
    labelNames: ['role'] as const,
    registers: [registry],
  });
  const postsFolded = new Counter({
    name: 'hcp_pulse_posts_folded_total',
    help: 'Low-priority cards folded into a burst roll-up (listed in its thread instead of posted alone)',
    registers: [registry],
  });
  const slackErrors = new Counter({
    name: 'hcp_pulse_slack_api_errors_total',
    help: 'Slack Web API errors, by method and code',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  });
  const outboxDepth = new Gauge({ name: 'hcp_pulse_outbox_depth', help: 'Pending outbox entries', registers: [registry] });
  const outboxOldest = new Gauge({
    name: 'hcp_pulse_outbox_oldest_age_seconds',
    help: 'Age of the oldest pending outbox entry',
    registers: [registry],
  });
  const mentionsDeferred = new Counter({
    name: 'hcp_pulse_mentions_deferred_total',
    help: 'New mentions accepted in a flood: stored as received, classified and queued after the answer',
    registers: [registry],
  });
  const mentionsUnclassified = new Gauge({
    name: 'hcp_pulse_mentions_unclassified',
    help: 'Mentions received in a flood and still waiting for their classification and card (in the database, every instance)',
    registers: [registry],
  });
  const mentionsUnclassifiedOldest = new Gauge({
    name: 'hcp_pulse_mentions_unclassified_oldest_age_seconds',
    help: 'Age of the oldest mention still waiting for its classification and card',
    registers: [registry],
  });
  const remindersDue = new Gauge({ name: 'hcp_pulse_reminders_due', help: 'Pending reminders whose time has come', registers: [registry] });
  const remindersOverdue = new Gauge({
    name: 'hcp_pulse_reminders_overdue',
    help: 'Pending reminders due more than an hour ago',
    registers: [registry],
  });
  // Per priority (the outbox's rank: adverse_event, medical_question, negative_target, rep,
  // routine): a queue of routine cards is a nuisance, a waiting adverse event is not.
  const outboxDepthByPriority = new Gauge({
    name: 'hcp_pulse_outbox_depth_by_priority',
    help: 'Pending outbox entries, by priority',
    labelNames: ['priority'] as const,
    registers: [registry],
  });
  const outboxOldestByPriority = new Gauge({
    name: 'hcp_pulse_outbox_oldest_age_by_priority_seconds',
    help: 'Age of the oldest pending outbox entry, by priority',
    labelNames: ['priority'] as const,
    registers: [registry],
  });
  const slackAck = new Histogram({
    name: 'hcp_pulse_slack_ack_seconds',
    help: 'Time from a request reaching /slack/events to its answer (the ack Slack waits 3 s for), by kind: interactive (clicks, commands, modal submissions) or event',
    labelNames: ['kind'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });
  const mentionToCard = new Histogram({
    name: 'hcp_pulse_mention_to_card_seconds',
    help: 'Time from a mention being received (webhook, intake, shortcut) to its card being posted, by role (alert, pv)',
    labelNames: ['role'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const firstAction = new Histogram({
    name: 'hcp_pulse_first_action_seconds',
    help: 'Time from a mention being received to the first thing a rep did on its card',
    buckets: [60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800],
    registers: [registry],
  });
  const pvCasesOpen = new Gauge({
    name: 'hcp_pulse_pv_cases_open',
    help: 'Possible adverse events not yet acknowledged by pharmacovigilance',
    registers: [registry],
  });
  const pvCasesPastDeadline = new Gauge({
    name: 'hcp_pulse_pv_cases_past_deadline',
    help: 'Possible adverse events not acknowledged by pharmacovigilance within their business-day deadline',
    registers: [registry],
  });
  const slackSocketConnected = new Gauge({
    name: 'hcp_pulse_slack_socket_connected',
    help: 'Socket Mode only: 1 while the WebSocket to Slack is connected, else 0',
    registers: [registry],
  });
  // The process itself: CPU, memory, event-loop lag, handles, GC (prom-client's defaults).
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    mentions,
    cardsSent,
    postsFolded,
    slackErrors,
    outboxDepth,
    outboxOldest,
    mentionsDeferred,
    mentionsUnclassified,
    mentionsUnclassifiedOldest,
    outboxDepthByPriority,
    outboxOldestByPriority,
    remindersDue,
    remindersOverdue,
    slackAck,
    mentionToCard,
    firstAction,
    slackSocketConnected,
    pvCasesOpen,
    pvCasesPastDeadline,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
