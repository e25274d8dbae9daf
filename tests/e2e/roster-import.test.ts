import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db';

const ROOT = join(__dirname, '..', '..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hcp-roster-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runImport(csv: string) {
  const file = join(dir, 'roster.csv');
  writeFileSync(file, csv);
  return spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'scripts', 'roster-import.ts'), file], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: `file:${join(dir, 'pulse.db')}` },
    encoding: 'utf8',
  });
}

test('rows load and update by handle, in any column order; bad rows are reported by line and column', async () => {
  const first = runImport(
    [
      'target,handle,name,email,institution,channel_id',
      'yes,@DrJane,Dr. Jane Doe,jane@example.org,St. Mary,C0ONC',
      'no,drbob,Dr. Bob,not-an-email,St. Mary,',
      'maybe,drx,Dr. X,,,',
      'TRUE,drsam,"Dr. Sam Lee, MD",,,',
    ].join('\n'),
  );
  expect(first.status).toBe(1);
  expect(first.stderr).toContain('roster.csv:3: column email: expected an email address');
  expect(first.stderr).toContain('roster.csv:4: column target: expected yes/no, true/false or 1/0');
  expect(first.stdout).toContain('Loaded 2 HCP(s)');

  const second = runImport('handle,target,owner_slack_id\ndrjane,no,U0REP1\n');
  expect(second.status).toBe(0);

  const db = await openDatabase(`file:${join(dir, 'pulse.db')}`);
  const rows = await db.kysely.selectFrom('hcps').selectAll().orderBy('handle').execute();
  await db.close();
  expect(rows.map((r) => r.handle)).toEqual(['drjane', 'drsam']);
  expect(rows[0]).toMatchObject({ name: null, target: 0, owner_slack_id: 'U0REP1' });
  expect(rows[1]).toMatchObject({ name: 'Dr. Sam Lee, MD', target: 1 });
});

test('a file without a handle column is refused with exit 2', () => {
  const r = runImport('name,email\nDr. A,a@example.org\n');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('no "handle" column');
});
