import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SENTIMENTS, type Sentiment } from '../../src/domain/mention';

/** One labelled post in the corpus format (tests/corpus/GUIDE.md). */
export interface CorpusPost {
  id: string;
  text: string;
  product?: string | null;
  stance?: Sentiment;
  adverse_event?: boolean;
  medical_question?: boolean;
  language?: string;
  kind?: string;
  phenomena?: string[];
}

export const CORPUS_DIR = join(__dirname, '..', '..', 'tests', 'corpus');

export function readJsonl(file: string): CorpusPost[] {
  const out: CorpusPost[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim()) return;
      let row: CorpusPost;
      try {
        row = JSON.parse(line) as CorpusPost;
      } catch (err) {
        throw new Error(`${file} line ${i + 1}: not JSON (${(err as Error).message})`);
      }
      if (typeof row.text !== 'string' || !row.text) throw new Error(`${file} line ${i + 1}: no "text"`);
      if (row.stance !== undefined && !(SENTIMENTS as readonly string[]).includes(row.stance)) {
        throw new Error(`${file} line ${i + 1}: stance must be positive, neutral or negative; got ${JSON.stringify(row.stance)}`);
      }
      out.push({ ...row, id: row.id ?? `${basename(file)}:${i + 1}` });
    });
  return out;
}

/**
 * The files of a corpus part. dev: every `dev*.jsonl` (dev.jsonl and the pieces added since,
 * dev-w3.jsonl…). test: `test.jsonl`, or while it is being written its pieces (`test-a.jsonl`…).
 * EVAL_DEV_FILES (comma-separated) adds files to the dev part.
 */
export function partFiles(part: 'dev' | 'test'): string[] {
  // dev.jsonl first, then its pieces in name order.
  const listed = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.jsonl')).sort((a, b) => (a === 'dev.jsonl' ? -1 : b === 'dev.jsonl' ? 1 : a < b ? -1 : 1)) : [];
  const files =
    part === 'dev'
      ? listed.filter((f) => f === 'dev.jsonl' || f.startsWith('dev-'))
      : listed.includes('test.jsonl')
        ? ['test.jsonl']
        : listed.filter((f) => f.startsWith('test-'));
  const extra = part === 'dev' ? (process.env.EVAL_DEV_FILES ?? '').split(',').filter(Boolean) : [];
  return [...files.map((f) => join(CORPUS_DIR, f)), ...extra];
}

/** The public evaluation sets live outside the repository (EVAL_DATA_DIR overrides). */
export const DATA_DIR = resolve(process.env.EVAL_DATA_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'data'));
export const TWEETS_FILE = join(DATA_DIR, 'vader-tweets', 'tweets_GroundTruth.txt');

export interface Tweet {
  id: number;
  /** The raters' mean, -4..+4. */
  mean: number;
  text: string;
}

/** The tweets keep HTML entities as crawled ("&amp;"); Slack and the webhook deliver text decoded. */
const decodeEntities = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export function readTweets(file = TWEETS_FILE): Tweet[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter(Boolean)
    .map((line) => {
      const [id, mean, ...text] = line.split('\t');
      return { id: Number(id), mean: Number(mean), text: decodeEntities(text.join('\t')) };
    });
}

/**
 * The general model trains on the even tweet ids only; the eval scores the odd ids, which it
 * never saw (and plain VADER on the same odd ids, beside it).
 */
export const isTrainingTweet = (id: number): boolean => id % 2 === 0;
export const tweetGold = (mean: number, band: number): Sentiment => (mean >= band ? 'positive' : mean <= -band ? 'negative' : 'neutral');
