import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signatures as Slack makes them: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body)). */
export const MAX_SKEW_SECONDS = 300;

export function sign(secret: string, timestamp: number | string, body: string | Buffer): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex');
}

export function verifySignature(
  secret: string,
  timestamp: string | undefined,
  signature: string | undefined,
  body: Buffer,
  nowSeconds: number,
): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  // Symmetric window: a timestamp from the future is as suspect as an old one.
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
