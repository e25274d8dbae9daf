import pino from 'pino';
import { classifyColumns, startClassifierPool, type Classifier } from '../../src/services/classifier-pool';

/** The pool's real worker thread (the TypeScript source, through tsx), against the same classifier in this thread. */
const POSTS: [string, string | null][] = [
  ['Switched two of my patients to Zentiva this month. Really impressed with how well it is tolerated.', 'Zentiva'],
  ['Prior auth denied again for Zentiva. Third patient this month. Exhausting.', 'Zentiva'],
  ['My patient developed a severe rash ten days after starting Zentiva. Stopped it, resolving now.', 'Zentiva'],
  ['What is the max dose of Zentiva in renal impairment?', 'Zentiva'],
  ['Lovely weather for the congress dinner tonight.', null],
];

const warnings: string[] = [];
const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
let pool: Classifier;

beforeAll(() => {
  pool = startClassifierPool(1, logger);
});
afterAll(() => pool.stop());

test('a worker thread classifies posts sent together exactly as the main thread would', async () => {
  // Many posts in one turn of the event loop: they travel to the worker as one batch.
  const posts = Array.from({ length: 40 }, (_, i) => POSTS[i % POSTS.length]!);
  const answers = await Promise.all(posts.map(([text, product]) => pool.classify(text, product)));
  expect(answers).toEqual(posts.map(([text, product]) => classifyColumns(text, product)));
  expect(answers[2]!.adverse_event).toBe(1);
  expect(answers[3]!.medical_question).toBe(1);
  expect(pool.threads()).toBe(1);
  expect(warnings).toEqual([]);
});

test('posts sent one after another are answered in their own order', async () => {
  for (const [text, product] of POSTS) expect(await pool.classify(text, product)).toEqual(classifyColumns(text, product));
});

test('with no worker threads the main thread classifies, with the same answers', async () => {
  const inProcess = startClassifierPool(0, logger);
  expect(inProcess.threads()).toBe(0);
  const [text, product] = POSTS[0]!;
  expect(await inProcess.classify(text, product)).toEqual(classifyColumns(text, product));
  await inProcess.stop();
});
