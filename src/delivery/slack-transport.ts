import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebAPICallResult } from '@slack/web-api';

/**
 * The HTTP transport of the Slack client that answers clicks (Bolt's: views.open, ephemeral
 * messages, response_url): node:http(s) with keep-alive sockets, in place of the global
 * fetch. Why: a click's ack waits behind the views.open of the clicks before it, and the
 * global fetch (undici, web streams, a resource-timing entry per request) was the largest
 * part of that call: about 30% more CPU per call than this, and twice the event-loop turns
 * (bench profile of the click path; see scripts/bench.ts).
 *
 * It speaks the subset of fetch the Slack clients use: a string URL, a string body, a
 * Response back (status, headers, text). Anything else (a file upload's form, a stream) goes
 * to the global fetch unchanged.
 */
const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Statuses whose Response must have no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

type Init = { method?: string; headers?: unknown; body?: unknown; signal?: AbortSignal | null };

export const slackFetch = ((input: unknown, init: Init = {}) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  const simpleBody = init.body === undefined || init.body === null || typeof init.body === 'string';
  const simpleHeaders = init.headers === undefined || (typeof init.headers === 'object' && init.headers !== null && !(init.headers instanceof Headers) && !Array.isArray(init.headers));
  if (url === null || !simpleBody || !simpleHeaders || !/^https?:/.test(url)) return fetch(input as string, init as RequestInit);
  return send(url, init, true);
}) as typeof fetch;

function send(url: string, init: Init, mayRetry: boolean): Promise<Response> {
  return exchange(url, init, mayRetry).then(({ res, raw }) => toResponse(url, res, raw));
}

/** One request over the keep-alive sockets: the answer's head and its whole body. */
function exchange(url: string, init: Init & { timeoutMs?: number }, mayRetry: boolean): Promise<{ res: IncomingMessage; raw: Buffer }> {
  const https = url.startsWith('https:');
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: init.method ?? 'GET',
        headers: init.headers as Record<string, string> | undefined,
        agent: https ? httpsAgent : httpAgent,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => resolve({ res, raw: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) }));
      },
    );
    if (init.timeoutMs) req.setTimeout(init.timeoutMs, () => req.destroy(new Error(`no answer within ${init.timeoutMs} ms`)));
    req.once('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while it was idle: the request never reached
      // it, so it is sent once more on a fresh socket (Node's documented pattern), as fetch does.
      if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET' && !init.signal?.aborted) resolve(exchange(url, init, false));
      else reject(err);
    });
    req.end(init.body ?? undefined);
  });
}

/** A compressed body, inflated as fetch would (we send no Accept-Encoding, so it is unexpected). */
function decode(encoding: string | undefined, raw: Buffer): Buffer {
  if (!encoding || raw.length === 0) return raw;
  return encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw;
}

/** The answer's headers, a repeated one joined as fetch joins it. */
function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function toResponse(url: string, res: IncomingMessage, raw: Buffer): Response {
  const headers = new Headers(flatHeaders(res));
  // We send no Accept-Encoding, so a compressed answer is unexpected; it is still read as fetch would.
  const body = decode(headers.get('content-encoding') ?? undefined, raw);
  if (body !== raw) {
    headers.delete('content-encoding');
    headers.delete('content-length');
  }
  const status = res.statusCode ?? 0;
  const response = new Response(NULL_BODY.has(status) ? null : body, { status, statusText: res.statusMessage ?? '', headers });
  // A constructed Response has an empty url; the Web API client reads it.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

/**
 * A Web API method called the lean way, for what a click does before its modal can open
 * (views.open within the trigger's 3 seconds): one JSON POST over the same sockets, the answer
 * parsed, and Slack's refusals thrown as the Web API client throws them (WebAPIPlatformError,
 * WebAPIRateLimitedError, WebAPIHTTPError, WebAPIRequestError), so that callers and
 * classifySlackError read them alike. No retries, as the click client has none.
 *
 * Why not the client: for each call it copies and JSON-encodes the whole view three times for
 * debug lines it then drops (its redact()), form-encodes the view, and goes through a queue,
 * a retry wrapper, an abort timer and a fetch Response: about a fifth of a click's CPU, more
 * than building the modal and reading the alert together (bench profile of the click path).
 */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown> & { ok: boolean }>;

export function leanSlackCall(apiUrl: string, token: string, timeoutMs = 10_000): SlackCall {
  const headers = { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` };
  return async (method, args) => {
    let answer: { res: IncomingMessage; raw: Buffer };
    try {
      answer = await exchange(`${apiUrl}${method}`, { method: 'POST', headers, body: JSON.stringify(args), timeoutMs }, true);
    } catch (err) {
      throw new WebAPIRequestError(err instanceof Error ? err : new Error(String(err)));
    }
    const { res } = answer;
    const raw = decode(res.headers['content-encoding'], answer.raw).toString('utf8');
    if (res.statusCode === 429) throw new WebAPIRateLimitedError(Number(res.headers['retry-after'] ?? 1) || 1);
    if (res.statusCode !== 200) throw new WebAPIHTTPError(res.statusCode ?? 0, res.statusMessage ?? '', flatHeaders(res), raw);
    let result: Record<string, unknown> & { ok: boolean };
    try {
      result = JSON.parse(raw) as typeof result;
    } catch {
      result = { ok: false, error: raw };
    }
    if (!result.ok) throw new WebAPIPlatformError(result as unknown as WebAPICallResult & { error: string });
    return result;
  };
}
