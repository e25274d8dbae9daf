import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

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
  const https = url.startsWith('https:');
  return new Promise<Response>((resolve, reject) => {
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
        res.once('end', () => {
          try {
            resolve(toResponse(url, res, Buffer.concat(chunks)));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.once('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while it was idle: the request never reached
      // it, so it is sent once more on a fresh socket (Node's documented pattern), as fetch does.
      if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET' && !init.signal?.aborted) resolve(send(url, init, false));
      else reject(err);
    });
    req.end(init.body ?? undefined);
  });
}

function toResponse(url: string, res: IncomingMessage, raw: Buffer): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  // We send no Accept-Encoding, so a compressed answer is unexpected; it is still read as fetch would.
  const encoding = headers.get('content-encoding');
  let body = raw;
  if (encoding && raw.length > 0) {
    body = encoding === 'gzip' ? gunzipSync(raw) : encoding === 'deflate' ? inflateSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw;
    if (body !== raw) {
      headers.delete('content-encoding');
      headers.delete('content-length');
    }
  }
  const status = res.statusCode ?? 0;
  const response = new Response(NULL_BODY.has(status) ? null : body, { status, statusText: res.statusMessage ?? '', headers });
  // A constructed Response has an empty url; the Web API client reads it.
  Object.defineProperty(response, 'url', { value: url });
  return response;
}
