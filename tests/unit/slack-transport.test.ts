import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ErrorCode, WebAPIPlatformError, WebAPIRequestError, WebClient } from '@slack/web-api';
import { leanSlackCall, slackFetch } from '../../src/delivery/slack-transport';
import { classifySlackError } from '../../src/delivery/slack-errors';

/** A local HTTP server whose answer each test sets; it records what it was sent. */
let server: Server;
let base = '';
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const received: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  received.length = 0;
});

test('a Web API call goes through it as through fetch: form body, headers, JSON answer, errors', async () => {
  answer = (_req, body, res) => {
    const ok = new URLSearchParams(body).get('trigger_id') === 'T1';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { ok: true, view: { id: 'V1' } } : { ok: false, error: 'expired_trigger_id' }));
  };
  const client = new WebClient('xoxb-test', { slackApiUrl: `${base}/api/`, fetch: slackFetch, retryConfig: { retries: 0 } });
  const opened = await client.views.open({ trigger_id: 'T1', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } });
  expect(opened.view?.id).toBe('V1');
  expect(received[0]).toMatchObject({ method: 'POST', url: '/api/views.open' });
  expect(received[0]!.headers.authorization).toBe('Bearer xoxb-test');
  expect(received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(JSON.parse(new URLSearchParams(received[0]!.body).get('view')!)).toMatchObject({ type: 'modal' });
  await expect(client.views.open({ trigger_id: 'T2', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
});

test('the Response carries status, headers and url; a gzip answer is read; a 204 has no body', async () => {
  answer = (req, _body, res) => {
    if (req.url === '/gzip') res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-oauth-scopes': 'chat:write' }).end(gzipSync('{"ok":true}'));
    else if (req.url === '/none') res.writeHead(204).end();
    else res.writeHead(500, 'Oops').end('failed');
  };
  const gz = await slackFetch(`${base}/gzip`, { method: 'POST', body: 'a=1' });
  expect(gz.status).toBe(200);
  expect(gz.url).toBe(`${base}/gzip`);
  expect(gz.headers.get('x-oauth-scopes')).toBe('chat:write');
  expect(await gz.json()).toEqual({ ok: true });
  const none = await slackFetch(`${base}/none`, { method: 'POST', body: 'a=1' });
  expect(none.status).toBe(204);
  expect(await none.text()).toBe('');
  const failed = await slackFetch(`${base}/fail`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
  expect([failed.status, failed.ok, failed.statusText, await failed.text()]).toEqual([500, false, 'Oops', 'failed']);
});

test('an aborted call rejects; a closed server is an error, not a hang', async () => {
  answer = () => undefined; // never answers
  await expect(slackFetch(`${base}/slow`, { method: 'POST', body: 'a=1', signal: AbortSignal.timeout(50) })).rejects.toThrow();
  await expect(slackFetch('http://127.0.0.1:9/api/x', { method: 'POST', body: 'a=1' })).rejects.toThrow();
});

test('a body it does not speak (a form with a file) goes to the global fetch unchanged', async () => {
  answer = (_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  const form = new FormData();
  form.append('file', new Blob(['hello']), 'a.txt');
  const r = await slackFetch(`${base}/upload`, { method: 'POST', body: form });
  expect(r.status).toBe(200);
  expect(received[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  expect(received[0]!.body).toContain('hello');
});

test('the lean call posts JSON with the token and throws what the Web API client throws', async () => {
  answer = (_req, body, res) => {
    const args = JSON.parse(body) as { trigger_id: string };
    if (args.trigger_id === 'T429') return void res.writeHead(429, { 'retry-after': '7' }).end();
    if (args.trigger_id === 'T503') return void res.writeHead(503, 'Down').end('{"ok":false}');
    const ok = args.trigger_id === 'T1';
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { ok: true, view: { id: 'V1' } } : { ok: false, error: 'expired_trigger_id' }));
  };
  const call = leanSlackCall(`${base}/api/`, 'xoxb-test');
  const view = { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] };
  expect(await call('views.open', { trigger_id: 'T1', view })).toMatchObject({ ok: true, view: { id: 'V1' } });
  expect(received[0]).toMatchObject({ method: 'POST', url: '/api/views.open' });
  expect(received[0]!.headers.authorization).toBe('Bearer xoxb-test');
  expect(received[0]!.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(JSON.parse(received[0]!.body)).toEqual({ trigger_id: 'T1', view });

  const refused = await call('views.open', { trigger_id: 'T2', view }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(WebAPIPlatformError);
  expect(refused).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: 'expired_trigger_id' } });
  expect(classifySlackError(refused)).toEqual({ kind: 'permanent', code: 'expired_trigger_id' });
  const limited = await call('views.open', { trigger_id: 'T429', view }).catch((e: unknown) => e);
  expect(classifySlackError(limited)).toEqual({ kind: 'rate_limited', code: 'ratelimited', retryAfterMs: 7000 });
  const down = await call('views.open', { trigger_id: 'T503', view }).catch((e: unknown) => e);
  expect(classifySlackError(down)).toEqual({ kind: 'transient', code: 'http_503' });
  const unreachable = await leanSlackCall('http://127.0.0.1:9/api/', 'xoxb-test')('views.open', { trigger_id: 'T1', view }).catch((e: unknown) => e);
  expect(classifySlackError(unreachable)).toEqual({ kind: 'transient', code: 'network' });
});

test('the lean call gives up on a server that does not answer', async () => {
  answer = () => undefined; // never answers
  await expect(leanSlackCall(`${base}/api/`, 'xoxb-test', 50)('views.open', { trigger_id: 'T1' })).rejects.toBeInstanceOf(WebAPIRequestError);
});
