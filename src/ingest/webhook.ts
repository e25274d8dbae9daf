import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'kysely';
import { toNewMention } from '../domain/mention';
import { logMentions } from '../services/log-mentions';
import type { ServiceContext } from '../services/context';
import { BodyTooLargeError, readBody } from './read-body';
import { parseMentionPayload } from './payloads';
import { verifySignature } from './signature';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

type Reply = { status: number; body: unknown };

/**
 * POST /webhooks/mentions. Checks run cheapest first; any answer but 202 stores nothing.
 * 202 is sent only after the transaction holding the mentions and their cards committed.
 */
export async function handleMentionWebhook(ctx: ServiceContext, req: IncomingMessage): Promise<Reply> {
  const secret = ctx.config.webhookSecret;
  if (!secret) return { status: 404, body: { error: 'not_found' } };

  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    req.resume();
    return { status: 415, body: { error: 'unsupported_media_type' } };
  }

  let raw: Buffer;
  try {
    raw = await readBody(req, WEBHOOK_BODY_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { status: 413, body: { error: 'payload_too_large' } };
    throw err;
  }

  const now = ctx.now();
  const ts = header(req, 'x-webhook-timestamp');
  const sig = header(req, 'x-webhook-signature');
  if (!verifySignature(secret, ts, sig, raw, Math.floor(now.getTime() / 1000))) {
    return { status: 401, body: { error: 'invalid_signature' } };
  }

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'invalid_json' } };
  }

  const parsed = parseMentionPayload(body);
  if (!parsed.ok) {
    ctx.metrics.mentions.inc({ source: 'webhook', outcome: 'rejected' });
    return { status: 400, body: { error: 'invalid_payload', issues: parsed.issues } };
  }

  const results = await logMentions(
    ctx,
    parsed.mentions.map((m) => toNewMention(m, 'webhook', now)),
  );
  const duplicates = results.filter((r) => r.duplicate).length;
  return {
    status: 202,
    body: {
      accepted: results.length - duplicates,
      duplicates,
      mentions: results.map((r) => ({ id: r.id, duplicate: r.duplicate })),
    },
  };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export async function databaseAnswers(ctx: ServiceContext): Promise<boolean> {
  try {
    await sql`select 1`.execute(ctx.db.kysely);
    return true;
  } catch {
    return false;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
