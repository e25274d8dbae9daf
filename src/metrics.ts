import { Counter, Gauge, Registry } from 'prom-client';

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
  const remindersDue = new Gauge({ name: 'hcp_pulse_reminders_due', help: 'Pending reminders whose time has come', registers: [registry] });
  const remindersOverdue = new Gauge({
    name: 'hcp_pulse_reminders_overdue',
    help: 'Pending reminders due more than an hour ago',
    registers: [registry],
  });
  return { registry, mentions, cardsSent, slackErrors, outboxDepth, outboxOldest, remindersDue, remindersOverdue };
}

export type Metrics = ReturnType<typeof createMetrics>;
