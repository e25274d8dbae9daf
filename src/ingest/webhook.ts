import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNewMention } from '../domain/mention';
import { acceptMentions } from '../services/log-mentions';
import type { ServiceContext } from '../services/context';
import { BodyTooLargeError, readBody } from './read-body';
import { parseMentionPayload } from './payloads';
import { standardWebhook, verifyBearer, verifySignature, verifyStandardWebhook } from './signature';
import { applyMapping, loadWebhookMappings, type WebhookMappings } from './mapping';
import type { Config } from '../config';
import type { Webhook } from 'standardwebhooks';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

type Reply = { status: number; body: unknown };

/** What the webhook needs besides the request, prepared once at start-up. */
export interface WebhookIngress {
  /** Open when WEBHOOK_SECRET or WEBHOOK_TOKEN is set; otherwise the route answers 404. */
  enabled: boolean;
  secret: string | undefined;
  standard: Webhook | null;
  token: string | undefined;
  mappings: WebhookMappings;
}

/** Builds the webhook's keys and reads WEBHOOK_MAPPING; a bad mapping file stops start-up. */
export function prepareWebhook(config: Config): WebhookIngress {
  return {
    enabled: Boolean(config.webhookSecret || config.webhookToken),
    secret: config.webhookSecret,
    standard: config.webhookSecret ? standardWebhook(config.webhookSecret) : null,
    token: config.webhookToken,
    mappings: config.webhookMappingFile ? loadWebhookMappings(config.webhookMappingFile) : {},
  };
}

/** Which way in the request proved itself by, or null. Every scheme the sender offered is tried. */
function authenticate(w: WebhookIngress, req: IncomingMessage, raw: Buffer, nowSeconds: number): 'v0' | 'standard' | 'bearer' | null {
  const v0 = header(req, 'x-webhook-signature');
  if (w.secret && v0 && verifySignature(w.secret, header(req, 'x-webhook-timestamp'), v0, raw, nowSeconds)) return 'v0';
  const std = header(req, 'webhook-signature');
  if (w.standard && std) {
    const ok = verifyStandardWebhook(w.standard, { id: header(req, 'webhook-id'), timestamp: header(req, 'webhook-timestamp'), signature: std }, raw, nowSeconds);
    if (ok) return 'standard';
  }
  const auth = header(req, 'authorization');
  if (w.token && auth && verifyBearer(w.token, auth)) return 'bearer';
  return null;
}

/**
 * POST /webhooks/mentions. Checks run cheapest first; any answer but 202 stores nothing.
 * 202 is sent only after the transaction holding the mentions (and, unless they arrived in a
 * flood, their cards) committed.
 */
export async function handleMentionWebhook(ctx: ServiceContext, w: WebhookIngress, req: IncomingMessage): Promise<Reply> {
  if (!w.enabled) {
    req.resume();
    return { status: 404, body: { error: 'not_found' } };
  }
  // In flight from its first byte: while requests are, received posts wait (src/services/received-queue.ts).
  // A sender that stalls mid-body only keeps other posts on the flood's way meanwhile (answered
  // at once, classified at most half a second later), until Node's request timeout drops it.
  ctx.received.requestStarted();
  try {
    return await answerMentionWebhook(ctx, w, req);
  } finally {
    ctx.received.requestEnded();
  }
}

async function answerMentionWebhook(ctx: ServiceContext, w: WebhookIngress, req: IncomingMessage): Promise<Reply> {
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
  if (!authenticate(w, req, raw, Math.floor(now.getTime() / 1000))) {
    return { status: 401, body: { error: 'invalid_signature' } };
  }

  // The mapping is named in the query string (?mapping=meltwater) of the URL the tool calls.
  const url = req.url ?? '/';
  // Most senders call the bare path: no URL to parse then.
  const mappingName = url.includes('?') ? new URL(url, 'http://localhost').searchParams.get('mapping') : null;
  const mapping = mappingName === null ? null : Object.hasOwn(w.mappings, mappingName) ? w.mappings[mappingName]! : undefined;
  if (mapping === undefined) {
    const known = Object.keys(w.mappings);
    return {
      status: 400,
      body: {
        error: 'unknown_mapping',
        message: known.length ? `no mapping of that name in WEBHOOK_MAPPING; known: ${known.join(', ')}` : 'WEBHOOK_MAPPING is not set on this bot',
      },
    };
  }

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { status: 400, body: { error: 'invalid_json' } };
  }

  const parsed = mapping ? applyMapping(mappingName!, mapping, body) : parseMentionPayload(body);
  if (!parsed.ok) {
    ctx.metrics.mentions.inc({ source: 'webhook', outcome: 'rejected' });
    return { status: 400, body: { error: 'invalid_payload', issues: parsed.issues } };
  }

  const results = await acceptMentions(
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
