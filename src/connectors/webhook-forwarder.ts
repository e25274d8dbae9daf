import { sign } from '../ingest/signature';
import type { StreamLog } from './x-stream';

/**
 * Sends a body to the bot's own webhook, as any listening tool would: signed with
 * WEBHOOK_SECRET (v0), else with `Authorization: Bearer WEBHOOK_TOKEN`. It resolves once the bot
 * answered 202 (the mention is committed), retries what a retry can fix (the bot down or
 * restarting, 5xx, 429) with backoff, and gives up on a body the bot refuses (4xx), which
 * sending again would not change.
 */
export interface ForwarderOptions {
  /** The bot's base URL, e.g. http://localhost:3000. */
  url: string;
  secret?: string;
  token?: string;
  log: StreamLog;
  signal?: AbortSignal;
  /** First retry wait and ceiling (doubling). */
  retryFirstMs?: number;
  retryMaxMs?: number;
  now?: () => Date;
}

export class ForwardRefused extends Error {}

export function webhookForwarder(o: ForwarderOptions): (body: unknown) => Promise<void> {
  if (!o.secret && !o.token) throw new ForwardRefused('set WEBHOOK_SECRET or WEBHOOK_TOKEN (the same value as the bot\'s) to send posts to its webhook');
  const target = new URL('/webhooks/mentions', o.url);
  const first = o.retryFirstMs ?? 500;
  const max = o.retryMaxMs ?? 30_000;
  const now = o.now ?? (() => new Date());
  return async (body: unknown) => {
    const raw = JSON.stringify(body);
    const id = (body as { data?: { id?: unknown } }).data?.id;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (o.secret) {
        // Signed afresh each attempt: a retry after minutes must not carry a stale timestamp.
        const ts = Math.floor(now().getTime() / 1000);
        headers['x-webhook-timestamp'] = String(ts);
        headers['x-webhook-signature'] = sign(o.secret, ts, raw);
      } else {
        headers.authorization = `Bearer ${o.token}`;
      }
      let status: number | null = null;
      let answer = '';
      try {
        const res = await fetch(target, { method: 'POST', headers, body: raw });
        status = res.status;
        answer = await res.text();
      } catch (err) {
        answer = (err as Error).message;
      }
      if (status === 202) return;
      if (status !== null && status >= 400 && status < 500 && status !== 429 && status !== 408) {
        // Only the id and the bot's answer are logged, never the post's text.
        o.log.error({ id, status, answer: answer.slice(0, 500) }, 'the bot refused a post; skipped');
        return;
      }
      if (o.signal?.aborted) throw new Error('stopped before the bot took the post');
      const wait = Math.min(first * 2 ** (attempt - 1), max);
      o.log.warn({ id, status, attempt, waitMs: wait, reason: status === null ? answer : undefined }, 'the bot did not take a post; retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  };
}
