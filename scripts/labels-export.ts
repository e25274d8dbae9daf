/**
 * npm run labels:export -- [--since YYYY-MM-DD] [--out file.jsonl]
 * Writes every mention a rep corrected (stance, adverse event, medical question) as JSONL in
 * the corpus format of tests/corpus/GUIDE.md, so a team can score the classifier on its own
 * traffic: `EVAL_EXTRA=file.jsonl npm run eval`. A field the reps did not correct keeps the
 * classifier's label and is named in `labels_from` as "classifier". Exit 2 on a usage error.
 */
import { writeFileSync } from 'node:fs';
import { listLabelCorrections, type CorrectedMention } from '../src/store/label-corrections';
import type { Classification } from '../src/domain/classification';
import { describePeriod, parsePeriod, runReport } from './lib/report-cli';

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

if (require.main === module) {
  const period = parsePeriod({ usage: USAGE, sinceRequired: false, out: true });
  if (!period) process.exit(2);
  else
    runReport('labels export', async (db) => {
      const rows = await listLabelCorrections(db.kysely, period.sinceAt);
      const jsonl = rows.map((r) => JSON.stringify(toCorpusLine(r))).join('\n') + (rows.length ? '\n' : '');
      if (period.out) writeFileSync(period.out, jsonl);
      else process.stdout.write(jsonl);
      console.error(`${rows.length} corrected post${rows.length === 1 ? '' : 's'}${describePeriod(period)}${period.out ? ` written to ${period.out}` : ''}.`);
      return 0;
    });
}
