/**
 * A classifier worker thread (src/services/classifier-pool.ts): loads the weights once, says
 * it is ready, then answers each batch of posts with their classification columns, in order.
 * A post whose classification throws gets its error back, and the others their answers.
 */
import { parentPort } from 'node:worker_threads';
import { classifyColumns, type BatchRequest, type WorkerMessage } from './classifier-pool';

const port = parentPort!;
// Ready once the weights are read: the bot starts listening then, as it did when its main
// thread read them. The first real post's stages (about 0.15 s more) run before any batch.
classifyColumns('', null);
port.postMessage({ ready: true } satisfies WorkerMessage);
classifyColumns('Started my patient on it last week, no side effects so far.', null);

port.on('message', (m: BatchRequest) => {
  const results: Extract<WorkerMessage, { batch: number }>['results'] = [];
  for (let i = 0; i < m.texts.length; i++) {
    try {
      results.push(classifyColumns(m.texts[i]!, m.products[i]!));
    } catch (err) {
      results.push({ error: err instanceof Error ? err.message : String(err) });
    }
  }
  port.postMessage({ batch: m.batch, results } satisfies WorkerMessage);
});
