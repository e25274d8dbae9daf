/**
 * The bot under the bench, alone in its process (scripts/lib/bench-process.ts): started from
 * the environment the bench gives it, as `npm start` would be, with logging off. Besides its
 * own HTTP port it answers the bench over IPC: a roster row for the webhook → card figure,
 * the backlog in a channel, and its resident memory.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse } from '../../src/app';
import { cpuMs, rssMb, serveParent } from './bench-process';

/**
 * BENCH_SQL_STATS=1: times every SQLite statement (better-sqlite3 is synchronous, so this is
 * event-loop time) and prints the costliest by total on stop, to see which query a profile's
 * "executeQuery" is.
 */
function timeStatements(): () => void {
  const stats = new Map<string, { n: number; ms: number; max: number }>();
  const probe = new SqliteDatabase(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  for (const name of ['run', 'all', 'get']) {
    const original = proto[name]!;
    proto[name] = function (this: { source: string }, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const ms = performance.now() - t0;
        const key = this.source.replace(/\s+/g, ' ').slice(0, 150);
        const s = stats.get(key) ?? { n: 0, ms: 0, max: 0 };
        s.n++;
        s.ms += ms;
        s.max = Math.max(s.max, ms);
        stats.set(key, s);
      }
    };
  }
  return () => {
    const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25);
    for (const [sql, s] of rows) process.stderr.write(`${s.ms.toFixed(0).padStart(6)} ms ${String(s.n).padStart(6)}× max ${s.max.toFixed(1).padStart(6)}  ${sql}\n`);
  };
}

async function main(): Promise<void> {
  const report = process.env.BENCH_SQL_STATS ? timeStatements() : () => undefined;
  const pulse = await startPulse(loadConfig(process.env), { logger: pino({ level: 'silent' }) });
  const kysely = pulse.ctx.db.kysely;
  serveParent(
    { port: pulse.port },
    {
      addHcp: async (a: { handle: string; name: string; channel: string }) => {
        await kysely.insertInto('hcps').values({ handle: a.handle, name: a.name, target: 0, channel_id: a.channel, updated_at: new Date().toISOString() }).execute();
      },
      pendingIn: async (a: { channel: string }) =>
        Number(
          (await kysely.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').where('channel', '=', a.channel).executeTakeFirstOrThrow()).n,
        ),
      // Mentions accepted in a flood and not yet classified and carded (src/services/received-queue.ts).
      received: async () =>
        Number((await kysely.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'received').executeTakeFirstOrThrow()).n),
      rss: () => {
        const mb = rssMb();
        // BENCH_HEAP_SNAPSHOT=<dir>: what the heap holds after the ingests (after the reading: a snapshot costs memory itself).
        if (process.env.BENCH_HEAP_SNAPSHOT) writeHeapSnapshot(join(process.env.BENCH_HEAP_SNAPSHOT, `bot-${process.pid}.heapsnapshot`));
        return mb;
      },
      cpuMs,
      memory: () => process.memoryUsage(),
      groupCommit: () => pulse.ctx.db.groupCommit.stats,
    },
    async () => {
      await pulse.stop();
      report();
    },
  );
}

main().catch((err) => {
  console.error(`bench bot failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
