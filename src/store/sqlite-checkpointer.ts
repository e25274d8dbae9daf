import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode copies the log back into the database file now and then (a
 * checkpoint). Left to itself it does so inside whichever commit crosses the threshold,
 * and better-sqlite3 is synchronous, so that commit holds the event loop for tens of
 * milliseconds. A worker thread with its own connection checkpoints every second instead;
 * the main connection keeps a high automatic threshold only as a safety net.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message || err)); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export const SAFETY_NET_PAGES = 10_000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, onError: (message: string) => void, intervalMs = 1000): Checkpointer {
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3'), intervalMs } });
  worker.on('message', (m: string) => onError(m));
  worker.on('error', (err) => onError(err.message));
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Keep the process alive until the worker has closed its connection.
        worker.ref();
        worker.postMessage('stop');
        // A stuck checkpoint must not hold up shutdown.
        setTimeout(() => void worker.terminate().then(() => resolve()), 2000).unref();
      }),
  };
}
