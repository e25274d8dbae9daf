import pino from 'pino';
import { ReceivedQueue } from '../../src/services/received-queue';
import type { Db } from '../../src/store/db';

/**
 * The received queue's pacing, through its port: `open` is what the bot passes in
 * (openReceivedMentions); here it records the batches it is given. No database is touched:
 * the sweeps (start) are exercised end to end in tests/e2e/received-flood.test.ts.
 */
function queue(open: (ids: number[]) => Promise<number>) {
  return new ReceivedQueue({ db: undefined as unknown as Db, logger: pino({ level: 'silent' }), now: () => new Date() }, open);
}
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await settle(5);
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

test('with no request in flight, received posts are opened at once, in order, a few per turn', async () => {
  const batches: number[][] = [];
  const q = queue(async (ids) => {
    batches.push(ids);
    return ids.length;
  });
  q.add(Array.from({ length: 20 }, (_, i) => i + 1));
  await until(() => batches.flat().length === 20, 'all twenty');
  expect(batches.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(8);
  expect(q.waiting()).toBe(0);
  await q.stop();
});

test('while requests are in flight the posts wait; the last request to end lets them through', async () => {
  const opened: number[] = [];
  const q = queue(async (ids) => {
    opened.push(...ids);
    return ids.length;
  });
  q.requestStarted();
  q.requestStarted();
  // A request in flight besides the caller's: its posts are deferred.
  expect(q.shouldDefer()).toBe(true);
  q.add([1, 2, 3]);
  await settle(60);
  expect(opened).toEqual([]);
  q.requestEnded();
  await settle(30);
  expect(opened).toEqual([]);
  q.requestEnded();
  await until(() => opened.length === 3, 'the three posts');
  expect(q.shouldDefer()).toBe(false);
  await q.stop();
});

test('requests that never pause hold the posts for half a second at most, then two at a time between them', async () => {
  const batches: number[][] = [];
  const q = queue(async (ids) => {
    batches.push(ids);
    return ids.length;
  });
  q.requestStarted();
  q.add([1, 2, 3, 4, 5]);
  await settle(150);
  expect(batches).toEqual([]);
  await until(() => batches.flat().length === 5, 'the five posts');
  expect(batches.every((b) => b.length <= 2)).toBe(true);
  q.requestEnded();
  await q.stop();
});

test('a batch that fails does not stop the queue, and its posts may be queued again', async () => {
  const batches: number[][] = [];
  let fail = true;
  const q = queue(async (ids) => {
    batches.push(ids);
    if (fail) {
      fail = false;
      throw new Error('the database is away');
    }
    return ids.length;
  });
  q.add(Array.from({ length: 10 }, (_, i) => i + 1));
  await until(() => batches.flat().length === 10, 'every batch tried');
  // The failed batch's ids are no longer held: a sweep that finds them queues them again.
  q.add(batches[0]!);
  await until(() => batches.flat().length === 10 + batches[0]!.length, 'the failed posts again');
  await q.stop();
});

test('stop waits for the batch under way and opens nothing after it', async () => {
  const opened: number[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const q = queue(async (ids) => {
    await gate;
    opened.push(...ids);
    return ids.length;
  });
  q.add(Array.from({ length: 12 }, (_, i) => i + 1));
  await settle(20);
  let stopped = false;
  const stopping = q.stop().then(() => (stopped = true));
  await settle(20);
  expect(stopped).toBe(false);
  release();
  await stopping;
  expect(opened).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  await settle(50);
  expect(opened).toHaveLength(8);
});
