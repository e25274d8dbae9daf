import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db';
import { ALERT_CHANNEL, mention, postMention, startHarness, type Harness } from '../support/harness';
import { testDatabase, type TestDatabase } from '../support/postgres';

const ROOT = join(__dirname, '..', '..');
let dir: string;
let database: TestDatabase;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hcp-roster-'));
  database = await testDatabase(dir);
});
afterEach(async () => {
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

function runImport(csv: string, flags: string[] = [], databaseUrl = database.url) {
  const file = join(dir, 'roster.csv');
  writeFileSync(file, csv);
  return spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'scripts', 'roster-import.ts'), file, ...flags], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
}

async function roster(databaseUrl = database.url) {
  const db = await openDatabase(databaseUrl);
  try {
    return await db.kysely.selectFrom('hcps').selectAll().orderBy('handle').execute();
  } finally {
    await db.close();
  }
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

  const db = await openDatabase(database.url);
  const rows = await db.kysely.selectFrom('hcps').selectAll().orderBy('handle').execute();
  await db.close();
  expect(rows.map((r) => r.handle)).toEqual(['drjane', 'drsam']);
  // Columns the second file leaves out (name, email, institution, channel) keep their values.
  expect(rows[0]).toMatchObject({ name: 'Dr. Jane Doe', email: 'jane@example.org', institution: 'St. Mary', channel_id: 'C0ONC', target: 0, owner_slack_id: 'U0REP1' });
  expect(rows[1]).toMatchObject({ name: 'Dr. Sam Lee, MD', target: 1 });
});

test('a short row `handle,active` retires the HCP and keeps every detail the file leaves out; an empty cell still clears its detail', async () => {
  const full = 'handle,name,email,specialty,institution,npi,target,owner_slack_id,channel_id\ndrjane,Dr. Jane Doe,jane@example.org,Oncology,St. Mary,1234567890,yes,U0REP1,C0ONC\n';
  expect(runImport(full).status).toBe(0);
  const [before] = await roster();

  const retire = runImport('handle,active\n@DrJane,no\n');
  expect(retire.stderr).toBe('');
  expect(retire.status).toBe(0);
  expect(retire.stdout).toContain('retired   @drjane (active = no)');
  const [after] = await roster();
  expect(after).toEqual({ ...before, active: 0, updated_at: after!.updated_at });

  // Back with active = yes, still with every detail; an empty email cell clears the email only.
  const back = runImport('handle,email,active\ndrjane,,yes\n');
  expect(back.status).toBe(0);
  expect(back.stdout).toContain('updated   @drjane: email, active');
  const [again] = await roster();
  expect(again).toEqual({ ...before, email: null, active: 1, updated_at: again!.updated_at });

  // A new HCP in a short file gets the defaults: not a target, active.
  expect(runImport('handle,name\ndrnew,Dr. New\n').status).toBe(0);
  expect((await roster()).find((r) => r.handle === 'drnew')).toMatchObject({ name: 'Dr. New', target: 0, active: 1, email: null });
});

test('a file without a handle column is refused with exit 2', () => {
  const r = runImport('name,email\nDr. A,a@example.org\n');
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('no "handle" column');
});

test('--dry-run reports each HCP (added, updated with the fields, unchanged, retired) and totals, and writes nothing', async () => {
  expect(runImport('handle,name,target\ndrjane,Dr. Jane Doe,yes\ndrbob,Dr. Bob,no\ndrold,Dr. Old,no\n').status).toBe(0);
  const before = await roster();

  const dry = runImport('handle,name,target,active\ndrjane,Dr. Jane Doe,yes,yes\ndrbob,Dr. Robert,yes,\ndrnew,Dr. New,no,1\n', ['--dry-run', '--prune']);
  expect(dry.stderr).toBe('');
  expect(dry.status).toBe(0);
  expect(dry.stdout).toContain('unchanged @drjane');
  expect(dry.stdout).toContain('updated   @drbob: name, target');
  expect(dry.stdout).toContain('added     @drnew');
  expect(dry.stdout).toContain('retired   @drold (not in the file, --prune)');
  expect(dry.stdout).toContain('Dry run: 1 added, 1 updated, 1 unchanged, 1 retired. Nothing was written.');
  expect(await roster()).toEqual(before);

  // Without --prune the missing HCP is left alone, in the report as in the data.
  const noPrune = runImport('handle,active\ndrbob,no\n', ['--dry-run']);
  expect(noPrune.stdout).toContain('retired   @drbob (active = no)');
  expect(noPrune.stdout).toContain('Dry run: 0 added, 0 updated, 0 unchanged, 1 retired.');
  expect(await roster()).toEqual(before);
});

test('--prune retires every HCP missing from the file, keeping their rows; a listed row with a bad value is not "missing"', async () => {
  expect(runImport('handle,name\ndrjane,Dr. Jane\ndrbob,Dr. Bob\ndrold,Dr. Old\n').status).toBe(0);
  const r = runImport('handle,email\ndrjane,\ndrbob,not-an-email\n', ['--prune']);
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('roster.csv:3: column email: expected an email address');
  expect(r.stdout).toContain('retired   @drold (not in the file, --prune)');
  expect(r.stdout).not.toContain('@drbob');
  const rows = await roster();
  expect(rows.map((x) => [x.handle, x.active])).toEqual([
    ['drbob', 1],
    ['drjane', 1],
    ['drold', 0],
  ]);
  expect(rows[2]).toMatchObject({ name: 'Dr. Old' });
});

test('a bad active value is reported by line and column and that row changes nothing', async () => {
  expect(runImport('handle,name\ndrjane,Dr. Jane\n').status).toBe(0);
  const r = runImport('handle,active\ndrjane,retired\ndrsam,TRUE\n');
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('roster.csv:2: column active: expected yes/no, true/false or 1/0');
  expect(r.stdout).toContain('Loaded 1 HCP(s)');
  const rows = await roster();
  expect(rows.map((x) => [x.handle, x.active])).toEqual([
    ['drjane', 1],
    ['drsam', 1],
  ]);
});

describe('with the bot running on the same database', () => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
  });

  test('active = no retires an HCP: their next card no longer routes to their channel, and their earlier mention stays', async () => {
    h = await startHarness({ PV_CHANNEL_ID: '' });
    const url = h.env.DATABASE_URL!;
    expect(runImport('handle,name,target,channel_id\ndrjane,Dr. Jane Doe,yes,C0ONCOLOGY\n', [], url).status).toBe(0);
    expect((await postMention(h.base, mention({ id: 'first' }))).status).toBe(202);
    await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === 'C0ONCOLOGY' && !m.thread_ts), 6000, 'the card in the HCP channel');

    const retire = runImport('handle,name,target,channel_id,active\ndrjane,Dr. Jane Doe,yes,C0ONCOLOGY,no\n', [], url);
    expect(retire.status).toBe(0);
    expect(retire.stdout).toContain('retired   @drjane (active = no)');
    expect(retire.stdout).toContain('0 added, 0 updated, 0 unchanged, 1 retired');

    expect((await postMention(h.base, mention({ id: 'second', text: 'Another week with Zentiva; my patients are doing fine on it.' }))).status).toBe(202);
    await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL && !m.thread_ts), 6000, 'the card in the default alert channel');
    expect(h.slack.messages.filter((m) => m.channel === 'C0ONCOLOGY' && !m.thread_ts)).toHaveLength(1);

    const mentions = await h.pulse.ctx.db.kysely.selectFrom('mentions').select(['external_id', 'author_handle']).orderBy('id').execute();
    expect(mentions).toEqual([
      { external_id: 'first', author_handle: 'drjane' },
      { external_id: 'second', author_handle: 'drjane' },
    ]);
    expect(await roster(url)).toMatchObject([{ handle: 'drjane', name: 'Dr. Jane Doe', active: 0, channel_id: 'C0ONCOLOGY' }]);
  });
});
