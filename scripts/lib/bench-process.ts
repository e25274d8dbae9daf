/**
 * The bench's processes: the bot, each bare reference and the load generator run each in a
 * child process of their own, so that one's CPU, heap and event loop are not another's (on a
 * 2-core machine the load generator in the bot's process was measured as part of the bot).
 * A child announces itself with `{ ready }` over the IPC channel and then answers requests
 * `{ id, cmd, args }` with `{ id, value }` or `{ id, error }`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

type Handler = (args: never) => unknown;

export interface BenchChild {
  child: ChildProcess;
  /** What the child said when it was ready (a port, say). */
  ready: Record<string, unknown>;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** Asks the child to stop and waits for it to exit (kills it if it does not within 10 s). */
  stop(): Promise<void>;
}

/**
 * The compiled children (`npm run build`'s dist/), run by plain node as `npm start` runs the
 * bot: no TypeScript loader in their memory or start-up. The bench builds first.
 */
const COMPILED = __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'dist', 'scripts', 'lib') : __dirname;

/** Starts the compiled `scripts/lib/<name>` with `env` (of this checkout, or of `root`), and waits for it to say it is ready. */
export async function startChild(name: string, env: Record<string, string>, execArgv: string[] = [], root?: string): Promise<BenchChild> {
  // `root`: another checkout's build (an A/B of old code against new, scripts/bench.ts --only ingest).
  const child = fork(join(root ? join(root, 'dist', 'scripts', 'lib') : COMPILED, `${name}.js`), [], {
    execArgv,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench child ${name} exited (${code}) before it was ready`)));
    child.on('message', (m: { ready?: Record<string, unknown>; id?: number; value?: unknown; error?: string }) => {
      if (m.ready) return resolve(m.ready);
      const p = m.id === undefined ? undefined : pending.get(m.id);
      if (!p) return;
      pending.delete(m.id!);
      if (m.error !== undefined) p.reject(new Error(`${name}: ${m.error}`));
      else p.resolve(m.value);
    });
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`bench child ${name} exited (${code})`));
    pending.clear();
  });
  return {
    child,
    ready,
    call: <T>(cmd: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = ++next;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args });
      }),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ id: ++next, cmd: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: serves `handlers` over IPC after announcing `ready`. `stop` runs
 * `onStop` and exits normally, so that `--cpu-prof` writes its profile.
 */
export function serveParent(ready: Record<string, unknown>, handlers: Record<string, Handler>, onStop: () => Promise<void>): void {
  process.on('message', (m: { id: number; cmd: string; args?: unknown }) => {
    if (m.cmd === 'stop') {
      void onStop().finally(() => process.exit(0));
      return;
    }
    const handler = handlers[m.cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        return handler(m.args as never);
      })
      .then(
        (value) => process.send!({ id: m.id, value }),
        (err: unknown) => process.send!({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
      );
  });
  // The bench died: do not linger.
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
  process.send!({ ready });
}

export const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** CPU time (user + system, ms) the process has used so far: the bench's CPU per click. */
export const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
