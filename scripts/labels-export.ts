/**
 * npm run labels:export -- [--since YYYY-MM-DD] [--out file.jsonl]
 * Writes every mention a rep corrected (stance, adverse event, medical question) as JSONL in
 * the corpus format of tests/corpus/GUIDE.md, so a team can score the classifier on its own
 * traffic: `EVAL_EXTRA=file.jsonl npm run eval`. A field the reps did not correct keeps the
 * classifier's label and is named in `labels_from` as "classifier". Exit 2 on a usage error.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/store/db';
import { listLabelCorrections, type CorrectedMention } from '../src/store/label-corrections';
import type { Classification } from '../src/domain/classification';

const USAGE = 'Usage: npm run labels:export -- [--since YYYY-MM-DD] [--out file.jsonl]';

export function toCorpusLine(m: CorrectedMention): Record<string, unknown> {
  let c: Partial<Classification> = {};
  try {
    c = m.classification ? (JSON.parse(m.classification) as Classification) : {};
  } catch {
    c = {};
  }
  const last = (field: string) => [...m.corrections].reverse().find((x) => x.field === field);
  const stance = last('stance');
  const ae = last('adverse_event');
  const mq = last('medical_question');
  return {
    id: `rep-${m.mentionId}`,
    text: m.text,
    product: m.product,
    language: c.language ?? 'en',
    stance: stance ? stance.corrected : m.sentiment,
    adverse_event: ae ? ae.corrected === 'true' : m.adverseEvent,
    medical_question: mq ? mq.corrected === 'true' : m.medicalQuestion,
    kind: c.kind ?? 'opinion',
    phenomena: [],
    source: m.source,
    source_id: m.externalId,
    labels_from: { stance: stance ? 'rep' : 'classifier', adverse_event: ae ? 'rep' : 'classifier', medical_question: mq ? 'rep' : 'classifier' },
    corrections: m.corrections,
  };
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let values: { since?: string; out?: string };
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string' }, out: { type: 'string' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.since !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(Date.parse(values.since)))) {
    console.error(`--since must be a date YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  if (values.out === '') {
    console.error(`--out must name a file.\n${USAGE}`);
    return 2;
  }
  const db = await openDatabase(process.env.DATABASE_URL || 'file:./data/hcp-pulse.db');
  try {
    const rows = await listLabelCorrections(db.kysely, values.since ? new Date(values.since) : null);
    const jsonl = rows.map((r) => JSON.stringify(toCorpusLine(r))).join('\n') + (rows.length ? '\n' : '');
    if (values.out) writeFileSync(values.out, jsonl);
    else process.stdout.write(jsonl);
    console.error(`${rows.length} corrected post${rows.length === 1 ? '' : 's'}${values.since ? ` since ${values.since}` : ''}${values.out ? ` written to ${values.out}` : ''}.`);
    return 0;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`labels export failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
