import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse, type Pulse } from '../../src/app';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { sign } from '../../src/ingest/signature';
import { testDatabase } from './postgres';
import { outboxStats } from '../../src/store/outbox';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const SIGNING_SECRET = 'test-signing-secret';
export const ALERT_CHANNEL = 'C0ALERTS';
export const PV_CHANNEL = 'C0PVTEAM';

export interface Harness {
  slack: SlackDouble;
  pulse: Pulse;
  dir: string;
  env: Record<string, string>;
  base: string;
  close(): Promise<void>;
}

/**
 * The environment a test bot runs with: the Slack double, port 0, and a SQLite file in `dir`
 * unless `extra` names its DATABASE_URL (a bot on the suite's database takes it from
 * testDatabase, as startHarness does, so it runs on PostgreSQL under TEST_DATABASE_URL).
 */
export function testEnv(slackUrl: string, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackUrl,
    ALERT_CHANNEL_ID: ALERT_CHANNEL,
    PV_CHANNEL_ID: PV_CHANNEL,
    WEBHOOK_SECRET,
    DATABASE_URL: `file:${join(dir, 'pulse.db')}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** `now`: the bot's clock, for tests that need it to be, say, a business day in New York. */
export async function startHarness(extra: Record<string, string> = {}, options: { now?: () => Date } = {}): Promise<Harness> {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-'));
  // A test that brings its own database keeps it (and drops it); otherwise the suite's kind.
  const database = extra.DATABASE_URL ? { url: extra.DATABASE_URL, drop: async () => undefined } : await testDatabase(dir);
  const env = testEnv(slack.url, dir, { DATABASE_URL: database.url, ...extra });
  let pulse: Pulse;
  try {
    pulse = await startPulse(loadConfig(env), { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), ...(options.now ? { now: options.now } : {}) });
    // The bot listens before its classifier thread has loaded the weights (a second or two under
    // tsx on a busy machine, once per test file): a test's first slash command must not spend
    // Slack's 3 s ack on them.
    await pulse.ctx.classifier.ready();
  } catch (err) {
    await slack.stop();
    await database.drop();
    throw err;
  }
  return {
    slack,
    pulse,
    dir,
    env,
    base: `http://127.0.0.1:${pulse.port}`,
    close: async () => {
      await pulse.stop();
      await slack.stop();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the store has recorded every delivery: Slack has a message a moment before the
 * outbox marks it sent (a separate commit, slower on PostgreSQL), so a test that reads what the
 * bot knows about a card (its link, the counters) waits for this first.
 */
export async function outboxSettled(h: Harness, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await outboxStats(h.pulse.ctx.db.kysely, new Date())).depth > 0) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the outbox to record its deliveries');
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface PostOptions {
  secret?: string;
  timestamp?: number;
  contentType?: string;
  signature?: string;
}

/** Sends a webhook body signed as the contract says (raw string bodies are sent as they are). */
export async function postMention(base: string, body: unknown, opts: PostOptions = {}): Promise<{ status: number; json: any }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/webhooks/mentions`, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      'x-webhook-timestamp': String(ts),
      'x-webhook-signature': opts.signature ?? sign(opts.secret ?? WEBHOOK_SECRET, ts, raw),
    },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Flattens a posted card's blocks to the text a person would read. */
export function cardText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}

/**
 * The control a person finds by its visible text: a button's label, a menu's placeholder, or
 * an option of a ⋯ overflow menu (returned as `{ type: 'overflow_option', element, option }`).
 */
export function findControl(blocks: unknown, visibleText: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (node: unknown): void => {
    if (found) return;
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if ((o.type === 'button' && o.text?.text === visibleText) || (/_select$/.test(o.type) && o.placeholder?.text === visibleText)) {
        found = o;
        return;
      }
      if (o.type === 'overflow') {
        const option = (o.options as any[]).find((x) => x.text?.text === visibleText);
        if (option) {
          found = { type: 'overflow_option', element: o, option, value: option.value };
          return;
        }
      }
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found;
}

/** Every control a person sees on a message: buttons, menus, and the ⋯ menu itself. */
export function visibleControls(blocks: unknown): Record<string, any>[] {
  // A sphere name's Remind me belongs to that name, not to the card's four controls.
  return (blocks as any[]).filter((b) => b.type === 'actions' || (b.accessory && b.accessory.action_id !== 'alert_sphere_remind')).flatMap((b) => (b.type === 'actions' ? b.elements : [b.accessory]));
}

export const mention = (over: Record<string, unknown> = {}) => ({
  source: 'x',
  id: `p-${Math.random().toString(36).slice(2)}`,
  url: 'https://x.com/drjane/status/1790000000000000001',
  author: { handle: '@DrJane', name: 'Dr. Jane Doe' },
  text: 'Switched two of my patients to Zentiva this month. Really impressed with how well it is tolerated so far.',
  // An hour ago, not a fixed date: a fixed date drifts past the follow-up windows (7 days for a
  // negative post) and every such post's follow-up then fell due mid-test, an extra message
  // whenever a reminder tick came round. Tests about due follow-ups set postedAt themselves.
  postedAt: new Date(Date.now() - 3_600_000).toISOString(),
  product: 'Zentiva',
  ...over,
});
