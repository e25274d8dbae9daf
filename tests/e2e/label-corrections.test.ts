import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mention, postMention, startHarness, type Harness } from '../support/harness';
import { changeSentiment } from '../../src/services/card-actions';
import { InvalidLabelCorrection, recordLabelCorrection } from '../../src/store/label-corrections';

const ROOT = join(__dirname, '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const runExport = (args: string[]) =>
  spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts', 'labels-export.ts'), ...args], {
    cwd: h.dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! },
    encoding: 'utf8',
  });

test('rep corrections are stored and export as corpus JSONL, the last word on each field winning', async () => {
  const text = 'Pt on Zentiva 100 mg bid, week 3: nearly passed out getting out of bed, BP 86/50.';
  expect((await postMention(h.base, mention({ id: 'label-1', text }))).status).toBe(202);
  const m = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['id', 'sentiment']).where('external_id', '=', 'label-1').executeTakeFirstOrThrow();
  const other = m.sentiment === 'positive' ? 'neutral' : 'positive';
  await changeSentiment(h.pulse.ctx, m.id, 'U0REP1', other);
  const db = h.pulse.ctx.db.kysely;
  await recordLabelCorrection(db, { mentionId: m.id, field: 'adverse_event', predicted: true, corrected: false, by: 'U0PV1', at: new Date('2026-11-27T09:00:00Z') });
  await recordLabelCorrection(db, { mentionId: m.id, field: 'adverse_event', predicted: false, corrected: 'true', by: 'U0PV2', at: new Date('2026-11-27T10:00:00Z') });

  const rows = await db.selectFrom('label_corrections').selectAll().where('mention_id', '=', m.id).orderBy('id').execute();
  expect(rows.map((r) => [r.field, r.predicted, r.corrected, r.corrected_by])).toEqual([
    ['stance', m.sentiment, other, 'U0REP1'],
    ['adverse_event', 'true', 'false', 'U0PV1'],
    ['adverse_event', 'false', 'true', 'U0PV2'],
  ]);

  const out = join(h.dir, 'labels.jsonl');
  const run = runExport(['--out', out]);
  expect(run.status).toBe(0);
  expect(run.stderr).toContain(`1 corrected post written to ${out}`);
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({
    id: `rep-${m.id}`,
    text,
    product: 'Zentiva',
    language: 'en',
    stance: other,
    adverse_event: true,
    labels_from: { stance: 'rep', adverse_event: 'rep', medical_question: 'classifier' },
  });
  expect(typeof lines[0].medical_question).toBe('boolean');
  expect(['question', 'news', 'case_report', 'opinion']).toContain(lines[0].kind);

  expect(runExport(['--since', '2999-01-01']).stdout).toBe('');
  const bad = runExport(['--since', 'yesterday']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--since must be a date YYYY-MM-DD');
});

test('a correction that does not fit is refused and stores nothing', async () => {
  const db = h.pulse.ctx.db.kysely;
  const before = (await db.selectFrom('label_corrections').selectAll().execute()).length;
  const at = new Date('2026-11-27T09:00:00Z');
  await expect(recordLabelCorrection(db, { mentionId: 1, field: 'stance', predicted: 'positive', corrected: 'angry', by: 'U1', at })).rejects.toThrow(InvalidLabelCorrection);
  await expect(recordLabelCorrection(db, { mentionId: 1, field: 'adverse_event', predicted: 'yes', corrected: false, by: 'U1', at })).rejects.toThrow(
    'predicted for adverse_event must be true or false; got "yes"',
  );
  await expect(recordLabelCorrection(db, { mentionId: 1, field: 'mood' as never, predicted: 'a', corrected: 'b', by: 'U1', at })).rejects.toThrow('field must be one of stance, adverse_event, medical_question');
  expect((await db.selectFrom('label_corrections').selectAll().execute()).length).toBe(before);
});
