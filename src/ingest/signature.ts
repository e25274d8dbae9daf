import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Signatures as Slack makes them: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)). */
export const MAX_SKEW_SECONDS = 300;

export function sign(secret: string, timestamp: number | string, body: string | Buffer): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
}

/** Whether a timestamp header is a plain number of seconds within the window around now. */
const fresh = (timestamp: string | undefined, nowSeconds: number): timestamp is string =>
  // Symmetric window: a timestamp from the future is as suspect as an old one.
  timestamp !== undefined && /^\d{1,12}$/.test(timestamp) && Math.abs(nowSeconds - Number(timestamp)) <= MAX_SKEW_SECONDS;

export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowSeconds: number,
): boolean {
  if (!signature || !fresh(timestamp, nowSeconds)) return false;
  return sameBytes(sign(secret, timestamp, body), signature);
}

/**
 * The Standard Webhooks key (CONTRACT.md, "The webhook"): a `whsec_` secret carries its key
 * base64-encoded after the prefix, as the spec's tooling makes it; any other secret is used as
 * its UTF-8 bytes, so one WEBHOOK_SECRET serves both schemes.
 */
export function standardWebhook(secret: string): Webhook {
  return secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

/** Why a `whsec_` secret cannot be used (for the config check), or null when it can. */
export function standardSecretProblem(secret: string): string | null {
  if (!secret.startsWith('whsec_')) return null;
  const b64 = secret.slice('whsec_'.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0 || Buffer.from(b64, 'base64').length < 16) {
    return 'a whsec_ secret must be followed by base64 of at least 16 bytes (as Standard Webhooks tooling makes it)';
  }
  return null;
}

export interface StandardHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/**
 * Standard Webhooks: `webhook-signature` holds one or more space-separated `v1,<base64>`
 * entries over "<id>.<timestamp>.<body>". The library computes the signature; the window is
 * checked here against the injected clock (the library's own verify reads the process clock),
 * and each offered signature is compared in constant time.
 */
export function verifyStandardWebhook(webhook: Webhook, h: StandardHeaders, body: Buffer, nowSeconds: number): boolean {
  if (!h.id || !h.signature || !fresh(h.timestamp, nowSeconds)) return false;
  if (h.id.length > 256) return false;
  const expected = webhook.sign(h.id, new Date(Number(h.timestamp) * 1000), body);
  let ok = false;
  for (const offered of h.signature.split(' ').slice(0, 10)) {
    // No early exit: every offered signature costs the same.
    if (offered.startsWith('v1,') && sameBytes(expected, offered)) ok = true;
  }
  return ok;
}

/** `Authorization: Bearer <token>`; compared as SHA-256 digests so neither length nor content leaks. */
export function verifyBearer(token: string, authorization: string | undefined): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  if (!m) return false;
  return timingSafeEqual(digest(token), digest(m[1]!));
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

function sameBytes(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
