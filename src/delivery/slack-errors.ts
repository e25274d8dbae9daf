import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

/** What to do after a failed Slack call: wait and retry, or give up (and why). */
export type SlackFailure =
  | { kind: 'rate_limited'; code: string; retryAfterMs: number }
  | { kind: 'transient'; code: string }
  | { kind: 'permanent'; code: string };

// Platform errors that describe Slack's state rather than our request.
const TRANSIENT_PLATFORM = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited', 'team_added_to_org']);

/** Errors that mean "this channel cannot take the card": worth rerouting to the alert channel. */
export const CHANNEL_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'no_permission']);

export function classifySlackError(err: unknown): SlackFailure {
  if (err instanceof WebAPIRateLimitedError) return { kind: 'rate_limited', code: 'ratelimited', retryAfterMs: Math.max(1, err.retryAfter) * 1000 };
  if (err instanceof WebAPIHTTPError) return { kind: 'transient', code: `http_${err.statusCode}` };
  if (err instanceof WebAPIRequestError) return { kind: 'transient', code: 'network' };
  if (err instanceof WebAPIPlatformError) {
    const code = String(err.data.error ?? 'unknown_error');
    return TRANSIENT_PLATFORM.has(code) ? { kind: 'transient', code } : { kind: 'permanent', code };
  }
  return { kind: 'transient', code: (err as Error)?.name ?? 'unknown' };
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}
