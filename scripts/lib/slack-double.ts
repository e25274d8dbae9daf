import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Slack's Web API: answers the methods the bot calls the way Slack
 * does, records every call, and can be told to fail (429 with Retry-After, 5xx, platform
 * errors). Used by the tests, `npm run demo` and the benchmark; point SLACK_API_URL at `url`.
 */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** The HTTP status the double answered with. */
  status: number;
}

export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: unknown;
}

export class SlackDouble {
  readonly calls: RecordedCall[] = [];
  readonly messages: StoredMessage[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly always = new Map<string, Failure>();
  private server: Server | null = null;
  private tsCounter = 0;
  private listeners: (() => void)[] = [];
  url = '';
  /** The WebSocket URL apps.connections.open hands out (Socket Mode tests). */
  socketUrl = '';
  /** The time zone users.info reports for every user. */
  userTimeZone = 'Europe/Berlin';
  /** Where test payloads point their response_url. */
  get responseUrl(): string {
    return this.url.replace(/\/api\/$/, '/response/1');
  }
  /**
   * Slack's per-channel limit for chat.postMessage (about one message per second per channel,
   * thread replies included): when set, a post to a channel less than this many milliseconds
   * after the last one it accepted there is answered 429 with Retry-After, as Slack does.
   */
  channelIntervalMs: number | undefined;
  private readonly lastPostAt = new Map<string, number>();
  /** Called when a call has been recorded and before it is answered (tests use it to crash a bot mid-call). */
  onCall: ((method: string) => void) | undefined;
  /**
   * Awaited after a call is recorded (a posted message is already visible) and before it is
   * answered: tests use it to hold Slack's answer, as a slow network does.
   */
  beforeAnswer: ((method: string) => Promise<void> | void) | undefined;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** The next calls of `method` fail in this order, then it answers normally again. */
  failNext(method: string, ...failures: Failure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /** Every call of `method` fails until `heal(method)`. */
  failAlways(method: string, failure: Failure): void {
    this.always.set(method, failure);
  }

  heal(method: string): void {
    this.always.delete(method);
    this.failures.delete(method);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls that Slack accepted (HTTP 200 and ok:true). */
  succeeded(method: string): RecordedCall[] {
    return this.callsOf(method).filter((c) => c.status === 200 && !(c.args as { __failed?: boolean }).__failed);
  }

  /** Resolves when `predicate` holds, checking after every call; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; calls: ${this.calls.map((c) => `${c.method}:${c.status}`).join(', ')}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Anything outside /api/ stands for a response_url that interactions can answer to.
    const path = (req.url ?? '').split('?')[0]!;
    const method = path.startsWith('/api/') ? path.slice('/api/'.length) : 'response_url';
    const raw = await new Promise<string>((resolve) => {
      let s = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (s += c));
      req.on('end', () => resolve(s));
    });
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const failure = this.failures.get(method)?.shift() ?? this.always.get(method) ?? this.channelLimit(method, args);
    let status = 200;
    let body: Record<string, unknown>;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (failure && 'status' in failure) {
      status = failure.status;
      if (failure.status === 429) headers['retry-after'] = String(failure.retryAfter);
      body = { ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' };
    } else if (failure) {
      body = { ok: false, error: failure.error };
      (args as { __failed?: boolean }).__failed = true;
    } else {
      body = this.answer(method, args);
    }
    this.calls.push({ method, args, at: Date.now(), status });
    this.onCall?.(method);
    for (const l of [...this.listeners]) l();
    await this.beforeAnswer?.(method);
    res.writeHead(status, headers);
    res.end(JSON.stringify(body));
    for (const l of [...this.listeners]) l();
  }

  private channelLimit(method: string, args: Record<string, unknown>): Failure | undefined {
    if (this.channelIntervalMs === undefined || method !== 'chat.postMessage') return undefined;
    const channel = String(args.channel);
    const now = Date.now();
    const last = this.lastPostAt.get(channel);
    if (last !== undefined && now - last < this.channelIntervalMs) {
      return { status: 429, retryAfter: Math.max(1, Math.ceil((this.channelIntervalMs - (now - last)) / 1000)) };
    }
    this.lastPostAt.set(channel, now);
    return undefined;
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_800_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'apps.connections.open':
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: 'invalid_auth' };
      case 'auth.test':
        return { ok: true, url: 'https://pulse-test.slack.com/', team: 'Pulse Test', user: 'hcp-pulse', team_id: 'T0TEST', user_id: 'U0BOT', bot_id: 'B0BOT' };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        const msg: StoredMessage = { channel: String(args.channel), ts, text: args.text as string, blocks: args.blocks, metadata: args.metadata };
        if (args.thread_ts) msg.thread_ts = String(args.thread_ts);
        this.messages.push(msg);
        return { ok: true, channel: args.channel, ts, message: { ...msg, type: 'message', bot_id: 'B0BOT' } };
      }
      case 'chat.update': {
        const msg = this.messages.find((m) => m.channel === args.channel && m.ts === args.ts);
        if (!msg) return { ok: false, error: 'message_not_found' };
        Object.assign(msg, { text: args.text, blocks: args.blocks });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: args.channel, permalink: `https://pulse-test.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}` };
      case 'conversations.history': {
        const oldest = Number(args.oldest ?? 0);
        const messages = this.messages
          .filter((m) => m.channel === args.channel && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, metadata: m.metadata }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.replies': {
        const messages = this.messages
          .filter((m) => m.channel === args.channel && (m.ts === args.ts || m.thread_ts === args.ts))
          .map((m) => ({ type: 'message', ts: m.ts, thread_ts: m.thread_ts, text: m.text, metadata: m.metadata }));
        return { ok: true, messages, has_more: false };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).replace(/^U/, '')}` } };
      case 'users.info':
        return { ok: true, user: { id: args.user, name: 'rep', real_name: 'Rep Example', tz: this.userTimeZone, profile: { display_name: 'Rep', real_name: 'Rep Example' } } };
      case 'views.open':
      case 'views.update':
      case 'views.push':
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...((args.view as object) ?? {}) } };
      case 'views.publish':
        return { ok: true, view: { id: 'VHOME' } };
      default:
        return { ok: true };
    }
  }
}

function parseArgs(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) {
    try {
      return JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return { __raw: raw };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The Web API client form-encodes structured arguments as JSON strings.
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v;
  }
  return out;
}

const safeJson = (v: string): unknown => {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};
