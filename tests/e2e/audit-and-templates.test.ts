import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mention, postMention, startHarness, type Harness } from '../support/harness';
import { spawnBot } from '../support/process';
import { assign } from '../../src/services/card-actions';

const ROOT = join(__dirname, '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function runExport(args: string[]) {
  return spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts', 'audit-export.ts'), ...args], {
    cwd: h.dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! },
    encoding: 'utf8',
  });
}

test('the audit trail exports as CSV and JSON since a date', async () => {
  await postMention(h.base, mention({ id: 'audit-1', text: 'Zentiva <works> & "helps", really' }));
  const m = await h.pulse.ctx.db.kysely.selectFrom('mentions').select('id').executeTakeFirstOrThrow();
  await assign(h.pulse.ctx, m.id, 'U0REP1');

  const csv = runExport(['--since', '2026-01-01']);
  expect(csv.status).toBe(0);
  const lines = csv.stdout.trim().split('\n');
  expect(lines[0]).toBe('id,at,actor,action,mention_id,source,external_id,url,before,after');
  expect(lines).toHaveLength(3);
  expect(lines[2]).toContain(',U0REP1,mention.assigned,');
  expect(csv.stderr).toContain('2 audit entries since 2026-01-01');

  const json = JSON.parse(runExport(['--since', '2026-01-01', '--format', 'json']).stdout);
  expect(json.map((e: any) => e.action)).toEqual(['mention.logged', 'mention.assigned']);
  expect(json[1]).toMatchObject({ actor: 'U0REP1', before: { assignee: null }, after: { assignee: 'U0REP1' }, external_id: 'audit-1' });

  expect(JSON.parse(runExport(['--since', '2999-01-01', '--format', 'json']).stdout)).toEqual([]);
  const bad = runExport(['--since', 'last week']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('--since must be a date YYYY-MM-DD');
});

test('a template file with an unknown placeholder stops start-up, naming the file and template', async () => {
  const file = join(h.dir, 'bad-templates.json');
  writeFileSync(file, JSON.stringify({ templates: [{ id: 'neg', sentiment: 'negative', approvalCode: 'X', subject: 'Re {{productt}}', body: 'Hi', fields: [] }] }));
  const bot = spawnBot({ ...h.env, EMAIL_TEMPLATES_FILE: file, PORT: '0' }, h.dir);
  expect(await bot.exited).toBe(1);
  expect(bot.output()).toContain(`email templates ${file}`);
  expect(bot.output()).toContain('template "neg": unknown placeholder {{productt}} in subject');
});
