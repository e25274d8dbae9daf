import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A connector for X's API v2 filtered stream (`npm run x:stream`). It keeps the stream's rules
 * equal to a rules file, holds the long-lived connection open, and hands each post, as the
 * stream's own JSON line, to `forward` (the CLI posts it, signed, to the bot's webhook, so it
 * goes through the same normalise → dedupe → classify path as every other way in).
 *
 * Reconnecting follows X's "Handling disconnections" guide: an established connection that
 * drops is reopened at once; a failed reconnect backs off linearly for network errors (+250 ms
 * up to 16 s), exponentially for HTTP errors (5 s doubling up to 320 s) and exponentially from
 * one minute for 429. X sends a keep-alive newline every 20 s: silence longer than that (plus a
 * second's slack) is a stalled connection and is reopened.
 */

export const ruleSchema = z
  .object({
    value: z.string({ error: 'required: the rule, in X\'s filtered-stream rule syntax' }).trim().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
    tag: z.string().trim().min(1).max(128, 'must be at most 128 characters').optional(),
  })
  .strict();
const rulesFileSchema = z.array(ruleSchema).min(1, 'expected at least one rule').max(1000, 'expected at most 1000 rules');

export type StreamRule = z.output<typeof ruleSchema>;

export class XStreamError extends Error {}

/** Reads the rules file: a JSON array of {"value": "…", "tag": "…"}. */
export function loadRules(file: string): StreamRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new XStreamError(`rules file ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const parsed = rulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new XStreamError(`rules file ${file} is not a list of {"value", "tag"} rules:\n  - ${lines.join('\n  - ')}`);
  }
  return parsed.data;
}

export interface Backoff {
  /** Network errors: linear steps, and their ceiling. */
  networkStepMs: number;
  networkMaxMs: number;
  /** HTTP errors: first wait, doubling, and the ceiling. */
  httpFirstMs: number;
  httpMaxMs: number;
  /** 429: first wait, doubling (X gives no ceiling; ours keeps a dead loop from sleeping for days). */
  rateLimitFirstMs: number;
  rateLimitMaxMs: number;
  /** No byte (not even the keep-alive) for this long: the connection has stalled. */
  stallMs: number;
}

/** X's documented numbers. */
export const X_BACKOFF: Backoff = {
  networkStepMs: 250,
  networkMaxMs: 16_000,
  httpFirstMs: 5_000,
  httpMaxMs: 320_000,
  rateLimitFirstMs: 60_000,
  rateLimitMaxMs: 15 * 60_000,
  stallMs: 21_000,
};

export type FailureKind = 'network' | 'http' | 'rate_limit';

/** The wait before the `attempt`-th consecutive failed reconnect (1-based) of this kind. */
export function backoffMs(b: Backoff, kind: FailureKind, attempt: number): number {
  if (kind === 'network') return Math.min(b.networkStepMs * attempt, b.networkMaxMs);
  if (kind === 'http') return Math.min(b.httpFirstMs * 2 ** (attempt - 1), b.httpMaxMs);
  return Math.min(b.rateLimitFirstMs * 2 ** (attempt - 1), b.rateLimitMaxMs);
}

export interface StreamLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface XStreamOptions {
  /** API base, https://api.x.com (a local double in tests). */
  apiUrl: string;
  bearerToken: string;
  rules: StreamRule[];
  /** Called with each post line (parsed JSON); resolves once the bot has it durably. */
  forward: (post: unknown) => Promise<void>;
  backoff?: Backoff;
  log: StreamLog;
  /** For tests and shutdown: the connector stops when it is aborted. */
  signal?: AbortSignal;
  /** Called each time a stream connection is open (tests, health). */
  onConnected?: () => void;
}

const STREAM_QUERY = 'tweet.fields=created_at,author_id&expansions=author_id&user.fields=username,name';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Makes the stream's rules equal to `wanted` (same value and tag): deletes the others, adds the missing. */
export async function syncRules(o: Pick<XStreamOptions, 'apiUrl' | 'bearerToken' | 'rules' | 'log' | 'signal'>): Promise<{ added: number; deleted: number }> {
  const url = new URL('/2/tweets/search/stream/rules', o.apiUrl);
  const headers = { authorization: `Bearer ${o.bearerToken}`, 'content-type': 'application/json' };
  const res = await fetch(url, { headers, signal: o.signal });
  if (!res.ok) throw new HttpFailure(res.status, await res.text());
  const current = ((await res.json()) as { data?: { id: string; value: string; tag?: string }[] }).data ?? [];
  const key = (r: { value: string; tag?: string }) => `${r.value}\u0000${r.tag ?? ''}`;
  const wanted = new Set(o.rules.map(key));
  const have = new Set(current.map(key));
  const stale = current.filter((r) => !wanted.has(key(r)));
  const missing = o.rules.filter((r) => !have.has(key(r)));
  if (stale.length) {
    const del = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ delete: { ids: stale.map((r) => r.id) } }), signal: o.signal });
    if (!del.ok) throw new HttpFailure(del.status, await del.text());
  }
  if (missing.length) {
    const add = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ add: missing }), signal: o.signal });
    const body = await add.text();
    if (!add.ok) throw new HttpFailure(add.status, body);
    // X answers 201 with per-rule errors for rules it refused (bad syntax, too long).
    const errors = (JSON.parse(body || '{}') as { errors?: { value?: string; title?: string; details?: string[] }[] }).errors ?? [];
    if (errors.length) {
      throw new XStreamError(`X refused rules from the rules file:\n  - ${errors.map((e) => `${e.value ?? '?'}: ${e.title ?? ''} ${(e.details ?? []).join(' ')}`.trim()).join('\n  - ')}`);
    }
  }
  o.log.info({ added: missing.length, deleted: stale.length, rules: o.rules.length }, 'stream rules synced');
  return { added: missing.length, deleted: stale.length };
}

/**
 * Runs until aborted. Throws (and so stops) only on what waiting cannot fix: a refused token
 * (401/403) or rules X will not take.
 */
export async function runXStream(o: XStreamOptions): Promise<void> {
  const b = o.backoff ?? X_BACKOFF;
  let failures = 0;
  let lastKind: FailureKind | null = null;
  let rulesSynced = false;
  // A connection that drops right after opening, again and again, must not become a hot loop.
  let openedAt = 0;
  while (!o.signal?.aborted) {
    let established = false;
    try {
      if (!rulesSynced) {
        await syncRules(o);
        rulesSynced = true;
      }
      await readStream(o, b, () => {
        // An open connection resets the backoff: the next drop is retried at once.
        established = true;
        openedAt = performance.now();
        failures = 0;
        lastKind = null;
      });
      // The server ended an established connection: reconnect at once, as X asks.
      if (!o.signal?.aborted) o.log.warn({}, 'stream ended; reconnecting');
      if (performance.now() - openedAt < b.stallMs) await sleep(b.networkStepMs, o.signal);
    } catch (err) {
      if (o.signal?.aborted) break;
      if (err instanceof XStreamError) throw err;
      const kind: FailureKind = err instanceof HttpFailure ? (err.status === 429 ? 'rate_limit' : 'http') : 'network';
      if (err instanceof HttpFailure && (err.status === 401 || err.status === 403)) {
        throw new XStreamError(`X refused the bearer token (HTTP ${err.status}): check X_BEARER_TOKEN and the app's access level. ${err.body.slice(0, 300)}`);
      }
      if (established && kind === 'network' && performance.now() - openedAt >= b.stallMs) {
        // An established connection dropped (or stalled): reconnect at once, as X asks.
        o.log.warn({ reason: (err as Error).message }, 'stream dropped; reconnecting');
        continue;
      }
      if (kind !== lastKind) failures = 0;
      lastKind = kind;
      failures += 1;
      const wait = backoffMs(b, kind, failures);
      o.log.warn({ kind, attempt: failures, waitMs: wait, status: err instanceof HttpFailure ? err.status : undefined, reason: (err as Error).message }, 'stream failed; backing off');
      await sleep(wait, o.signal);
    }
  }
}

/** One connection: resolves when the server ends it, rejects on an error or a stall. */
async function readStream(o: XStreamOptions, b: Backoff, opened: () => void): Promise<void> {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stalled = true;
      ctl.abort();
    }, b.stallMs);
  };
  try {
    arm();
    const res = await fetch(new URL(`/2/tweets/search/stream?${STREAM_QUERY}`, o.apiUrl), {
      headers: { authorization: `Bearer ${o.bearerToken}` },
      signal: ctl.signal,
    });
    if (!res.ok || !res.body) throw new HttpFailure(res.status, await res.text().catch(() => ''));
    opened();
    o.onConnected?.();
    o.log.info({}, 'stream connected');
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      buffered += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue; // the keep-alive
        // Waiting for the bot is not a stall of X's connection.
        clearTimeout(timer);
        await handleLine(o, line);
        arm();
      }
    }
  } catch (err) {
    if (stalled) throw new Error(`no data for ${b.stallMs} ms (not even X's keep-alive): the connection stalled`);
    throw err;
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

async function handleLine(o: XStreamOptions, line: string): Promise<void> {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    o.log.warn({ length: line.length }, 'skipped a stream line that is not JSON');
    return;
  }
  const m = msg as { data?: { id?: string }; errors?: { title?: string; detail?: string }[] };
  if (!m.data) {
    // In-band errors (operational-disconnect and the like) come just before X closes the stream.
    if (m.errors?.length) o.log.warn({ errors: m.errors.map((e) => e.title ?? e.detail) }, 'X reported a stream error');
    return;
  }
  await o.forward(msg);
}
