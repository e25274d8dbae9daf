import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for X's API v2 filtered stream over real HTTP: the rules endpoints, and a
 * stream the test feeds line by line, cuts (a dropped connection), or answers with an HTTP
 * error on the next connection attempts.
 */
export class XStreamDouble {
  rules: { id: string; value: string; tag?: string }[] = [];
  readonly ruleCalls: { method: string; body: unknown }[] = [];
  /** Each connection attempt to the stream: when, and the status it got. */
  readonly attempts: { at: number; status: number }[] = [];
  private nextStatuses: number[] = [];
  private open: ServerResponse | null = null;
  private server: Server | null = null;
  private waiters: (() => void)[] = [];
  private ruleId = 100;
  url = '';

  constructor(readonly token: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next stream connection attempts are answered with these statuses, in order. */
  failNextConnects(...statuses: number[]): void {
    this.nextStatuses.push(...statuses);
  }

  get connected(): boolean {
    return this.open !== null && !this.open.destroyed;
  }

  /** Resolves once a stream connection is open (the n-th successful one, counting from 1). */
  async waitForConnection(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.attempts.filter((a) => a.status === 200).length < n || !this.connected) {
      if (Date.now() > deadline) throw new Error(`no stream connection #${n}; attempts: ${JSON.stringify(this.attempts)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  /** Writes raw text to the open stream (a post is one JSON line ending in \r\n). */
  write(text: string): void {
    if (!this.open) throw new Error('no open stream');
    this.open.write(text);
  }

  /** A post made a minute ago (a fixed date drifts past the follow-up windows: see the harness's mention()). */
  post(p: { id: string; text: string; username: string; name?: string; tag?: string }): void {
    const line = {
      data: { id: p.id, text: p.text, author_id: `u-${p.username}`, created_at: new Date(Date.now() - 60_000).toISOString(), edit_history_tweet_ids: [p.id] },
      includes: { users: [{ id: `u-${p.username}`, username: p.username, name: p.name ?? p.username }] },
      matching_rules: [{ id: '101', tag: p.tag ?? 'zentiva-hcps' }],
    };
    this.write(`${JSON.stringify(line)}\r\n`);
  }

  /** Cuts the connection as a network failure or an X restart would. */
  disconnect(): void {
    this.open?.socket?.destroy();
    this.open = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    let raw = '';
    for await (const c of req) raw += c;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'Unauthorized', status: 401 }));
      return;
    }
    if (url.pathname === '/2/tweets/search/stream/rules') {
      const body = raw ? JSON.parse(raw) : null;
      this.ruleCalls.push({ method: req.method ?? '', body });
      if (req.method === 'GET') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: this.rules, meta: { result_count: this.rules.length } }));
      if (body?.delete) this.rules = this.rules.filter((r) => !body.delete.ids.includes(r.id));
      if (body?.add) for (const r of body.add) this.rules.push({ id: String(++this.ruleId), ...r });
      return void res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ meta: { summary: {} } }));
    }
    if (url.pathname === '/2/tweets/search/stream') {
      const status = this.nextStatuses.shift() ?? 200;
      this.attempts.push({ at: Date.now(), status });
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ title: 'error', status }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      this.open = res;
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    res.writeHead(404).end();
  }
}
