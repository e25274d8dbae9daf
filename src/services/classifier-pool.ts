import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { classifyPost } from '../domain/classification';
import { classificationColumns, type ClassificationColumns } from '../store/classification-columns';
import type { Logger } from '../logger';

/**
 * Classifying a post is pure CPU (a third of a webhook's main-thread time, measured with the
 * bench's CPU profile). The pool runs it in worker threads while the main thread reads,
 * verifies and commits other requests. A request awaits its classification before it joins
 * the group commit, as it awaited the synchronous call before: what is stored, when, and what
 * a crash loses are unchanged (nothing is stored before the commit, classification is pure).
 *
 * Posts that arrive in the same turn of the event loop go to a worker as one message, and
 * the worker answers with the mention's classification columns (strings and numbers), so a
 * post costs the main thread two small structured clones instead of the classifier.
 */
export interface Classifier {
  /** The classification columns of one post (src/store/classification-columns.ts). */
  classify(text: string, product: string | null): Promise<ClassificationColumns>;
  /** Worker threads that started and classify (0: posts are classified in the main thread). */
  threads(): number;
  /** Resolves when each thread has loaded the weights (or failed to start, and the main thread classifies). */
  ready(): Promise<void>;
  /** Releases this bot's hold on the pool (see startClassifierPool). */
  stop(): Promise<void>;
}

/**
 * One per core beyond the first two, at most four. A thread pays off only on a core that neither
 * the main thread nor the senders and the database already use: on 2 cores, two interleaved pairs
 * of `npm run bench -- --quick` gave ingest 696 and 714/s with a thread against 594 and 863/s
 * without (no gain beyond the noise), and each thread is a V8 heap of its own holding the
 * classifier, about 20-25 MB more RSS (171 against 148 MB).
 */
export const defaultClassifierThreads = (): number => Math.max(0, Math.min(4, availableParallelism() - 2));

/** The classification in this thread: the worker's work, and the path when no worker runs. */
export const classifyColumns = (text: string, product: string | null): ClassificationColumns =>
  classificationColumns(classifyPost(text, { product }));

/** main → worker: one batch of posts. */
export interface BatchRequest {
  batch: number;
  texts: string[];
  products: (string | null)[];
}
/** worker → main: `ready` once the weights are loaded, then one answer per batch, in order. */
export type WorkerMessage = { ready: true } | { batch: number; results: (ClassificationColumns | { error: string })[] };

interface Pending {
  text: string;
  product: string | null;
  resolve: (c: ClassificationColumns) => void;
  reject: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** One of the threads started with the pool, which `ready()` waits for (not a replacement). */
  initial: boolean;
  ready: boolean;
  /** Batches sent and not answered yet, by number. */
  batches: Map<number, Pending[]>;
  /** Posts in those batches: a thread is sent a batch only when it owes none. */
  load: number;
  gone: boolean;
}

/** The worker's entry: compiled JS under dist/ (npm start), the TypeScript source under tsx and jest. */
const WORKER_ENTRY = join(__dirname, `classifier-worker${extname(__filename)}`);

/**
 * The TypeScript source needs a loader in the worker: tsx's, which `npm run dev`, the demo and
 * the tests already use (a worker thread does not inherit jest's transform).
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsx) require(workerData.tsx).register();
require(workerData.entry);
`;

/**
 * Threads that die after they started are replaced this many times, then the main thread
 * classifies: a post that kills its worker must not restart workers for ever.
 */
const RESTARTS = 3;

/**
 * Starts `threads` classifier workers (0: classify in the main thread). A worker that cannot
 * start is logged at warn and its posts are classified in the main thread; one that dies
 * after it started is replaced, and its posts classified again (classification is pure).
 */
function createPool(threads: number, logger: Logger): Classifier {
  const pool: Thread[] = [];
  let queue: Pending[] = [];
  let flushing = false;
  let nextBatch = 0;
  let stopping = false;
  let restarts = 0;
  let starting = threads;
  let started!: () => void;
  const allStarted = new Promise<void>((resolve) => (started = resolve));
  const oneStarted = () => {
    if (--starting === 0) started();
  };
  if (threads === 0) started();

  const inProcess = (p: Pending) => {
    try {
      p.resolve(classifyColumns(p.text, p.product));
    } catch (err) {
      p.reject(err as Error);
    }
  };

  /**
   * Sends what is queued to an idle thread. A busy thread's next batch waits here until it
   * answers: the posts would wait in its inbox anyway, and gathered they cost one message.
   */
  const flush = () => {
    flushing = false;
    if (queue.length === 0) return;
    if (pool.length === 0) {
      const items = queue;
      queue = [];
      for (const p of items) inProcess(p);
      return;
    }
    const thread = pool.find((t) => t.load === 0);
    if (!thread) return;
    const items = queue;
    queue = [];
    const batch = ++nextBatch;
    thread.batches.set(batch, items);
    // Referenced while it owes answers: a script awaiting a classification must not exit early.
    if (thread.load === 0) thread.worker.ref();
    thread.load += items.length;
    const request: BatchRequest = { batch, texts: items.map((p) => p.text), products: items.map((p) => p.product) };
    thread.worker.postMessage(request);
  };

  const answer = (thread: Thread, m: WorkerMessage) => {
    if ('ready' in m) {
      thread.ready = true;
      if (thread.load === 0) thread.worker.unref();
      if (thread.initial) oneStarted();
      return;
    }
    const items = thread.batches.get(m.batch);
    if (!items) return;
    thread.batches.delete(m.batch);
    thread.load -= items.length;
    flush();
    if (thread.load === 0) thread.worker.unref();
    for (let i = 0; i < items.length; i++) {
      const r = m.results[i]!;
      if ('error' in r) items[i]!.reject(new Error(`classifier: ${r.error}`));
      else items[i]!.resolve(r);
    }
  };

  const lost = (thread: Thread, reason: string) => {
    if (thread.gone) return;
    thread.gone = true;
    pool.splice(pool.indexOf(thread), 1);
    const owed = [...thread.batches.values()].flat();
    thread.batches.clear();
    if (stopping) {
      for (const p of owed) p.reject(new Error('the classifier stopped'));
      return;
    }
    if (!thread.ready) {
      logger.warn({ reason }, 'a classifier worker thread could not start; classifying in the main thread instead');
      if (thread.initial) oneStarted();
    } else if (restarts < RESTARTS) {
      restarts++;
      logger.warn({ reason }, 'a classifier worker thread stopped; starting another');
      spawn(false);
    } else {
      logger.warn({ reason }, 'a classifier worker thread stopped again; classifying in the main thread instead');
    }
    // Pure, so classified again from the start, by another thread or this one.
    queue.push(...owed);
    flush();
  };

  const spawn = (initial: boolean) => {
    const entry = WORKER_ENTRY;
    const tsx = entry.endsWith('.ts') ? require.resolve('tsx/cjs/api') : null;
    let worker: Worker;
    try {
      worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, tsx } });
    } catch (err) {
      logger.warn({ err }, 'a classifier worker thread could not start; classifying in the main thread instead');
      if (initial) oneStarted();
      return;
    }
    const thread: Thread = { worker, initial, ready: false, batches: new Map(), load: 0, gone: false };
    worker.on('message', (m: WorkerMessage) => answer(thread, m));
    worker.on('error', (err) => lost(thread, err.message));
    worker.on('exit', (code) => lost(thread, `exited with code ${code}`));
    // Referenced until it is ready (a start-up awaits it), then only while it owes answers.
    pool.push(thread);
  };

  for (let i = 0; i < threads; i++) spawn(true);

  return {
    classify: (text, product) =>
      new Promise<ClassificationColumns>((resolve, reject) => {
        const p: Pending = { text, product, resolve, reject };
        if (pool.length === 0) return inProcess(p);
        queue.push(p);
        // After this turn's I/O callbacks: the posts read in the same turn travel together.
        if (!flushing) {
          flushing = true;
          setImmediate(flush);
        }
      }),
    threads: () => pool.filter((t) => t.ready).length,
    ready: () => allStarted,
    stop: async () => {
      stopping = true;
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}

/**
 * How long a pool outlives the last bot that used it. A process runs one bot, but the tests
 * start and stop one per test: each would otherwise load the weights in a new thread again
 * (seconds under the TypeScript loader). Idle threads do not keep the process alive.
 */
const LINGER_MS = 5000;
const shared = new Map<number, { pool: Classifier; users: number; linger: NodeJS.Timeout | null }>();

/**
 * The process's classifier pool of `threads` threads, started on first use; `stop()` releases
 * this bot's hold on it, and the pool ends LINGER_MS after the last hold is released.
 */
export function startClassifierPool(threads: number, logger: Logger): Classifier {
  let entry = shared.get(threads);
  if (!entry) {
    entry = { pool: createPool(threads, logger), users: 0, linger: null };
    shared.set(threads, entry);
  }
  const held = entry;
  if (held.linger) clearTimeout(held.linger);
  held.linger = null;
  held.users++;
  let released = false;
  return {
    classify: held.pool.classify,
    threads: held.pool.threads,
    ready: held.pool.ready,
    stop: async () => {
      if (released) return;
      released = true;
      if (--held.users > 0) return;
      held.linger = setTimeout(() => {
        shared.delete(threads);
        void held.pool.stop();
      }, LINGER_MS).unref();
    },
  };
}
