import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { ALERT_CHANNEL, PV_CHANNEL, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction } from '../support/slack-requests';

/**
 * `npm run pv:report` over a database the real bot filled: one case acknowledged in time, one
 * left open past its deadline, one medical referral answered. The bot's clock is pinned to a
 * Wednesday noon in New York that is already in the past, so the open case's deadline has
 * passed by the time the report runs (the report reads the real clock) and nothing escalates.
 */
const ROOT = join(__dirname, '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;
const PAST_WEDNESDAY_NOON_NY = Date.parse('2026-11-25T17:00:00Z');
const MEDICAL_CHANNEL = 'C0MEDINFO';

let h: Harness;
let shift = 0;
const now = () => new Date(Date.now() + shift);

beforeAll(async () => {
  shift = PAST_WEDNESDAY_NOON_NY - Date.now();
  h = await startHarness({ MEDICAL_CHANNEL_ID: MEDICAL_CHANNEL }, { now });
});
afterAll(async () => {
  await h.close();
});

const send = (over: Record<string, unknown>) => postMention(h.base, mention(over), { timestamp: Math.floor(now().getTime() / 1000) });
const topLevel = (channel: string) => h.slack.messages.filter((m) => m.channel === channel && !m.thread_ts);

function runReport(args: string[]) {
  return spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts', 'pv-report.ts'), ...args], {
    cwd: h.dir,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: h.env.DATABASE_URL! },
    encoding: 'utf8',
  });
}

test('pv:report lists PV cases with time to PV, time to acknowledgement and the deadline, and referrals with time to answer', async () => {
  expect((await send({ id: 'ae-1', text: 'My patient developed a severe rash after starting Zentiva.' })).status).toBe(202);
  expect((await send({ id: 'ae-2', text: 'Two of my patients were hospitalized with liver injury after Zentiva.' })).status).toBe(202);
  expect((await send({ id: 'mq-1', text: 'Has anyone used Zentiva in children? What dose?' })).status).toBe(202);
  await h.slack.waitFor(() => topLevel(PV_CHANNEL).length === 2 && topLevel(ALERT_CHANNEL).length === 3, 8000, 'two PV messages and three cards');
  const first = topLevel(PV_CHANNEL).find((m) => JSON.stringify(m.blocks).includes('severe rash'))!;
  await sendInteraction(h.base, clickOn({ channel: first.channel, ts: first.ts, blocks: first.blocks }, 'Acknowledge', 'U0PV1'));
  const question = topLevel(ALERT_CHANNEL).find((m) => JSON.stringify(m.blocks).includes('in children'))!;
  await sendInteraction(h.base, clickOn({ channel: question.channel, ts: question.ts, blocks: question.blocks }, 'Refer to Medical Information', 'U0REP1'));
  await h.slack.waitFor(() => topLevel(MEDICAL_CHANNEL).length === 1, 5000, 'the referral');
  const referral = topLevel(MEDICAL_CHANNEL)[0]!;
  await sendInteraction(h.base, clickOn({ channel: referral.channel, ts: referral.ts, blocks: referral.blocks }, 'Answered', 'U0MED1'));
  const db = h.pulse.ctx.db.kysely;
  for (let i = 0; i < 100; i++) {
    const acked = await db.selectFrom('pv_cases').select('id').where('acknowledged_at', 'is not', null).execute();
    const answered = await db.selectFrom('medical_referrals').select('id').where('answered_at', 'is not', null).execute();
    if (acked.length === 1 && answered.length === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const csv = runReport(['--since', '2026-11-01']);
  expect(csv.stderr).toContain('2 PV cases since 2026-11-01: deadline met 1, missed 1, pending 0. 1 medical referral, 1 answered.');
  expect(csv.status).toBe(0);
  const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
  expect(rows).toHaveLength(3);
  const [met, missed, ref] = [rows.find((r) => r.status === 'acknowledged')!, rows.find((r) => r.status === 'open')!, rows.find((r) => r.record === 'medical_referral')!];
  expect(met).toMatchObject({ record: 'pv_case', author: '@drjane', origin: 'detected', acknowledged_by: 'U0PV1', deadline: 'met' });
  expect(Number(met.time_to_pv_seconds)).toBeGreaterThanOrEqual(0);
  expect(Number(met.time_to_pv_seconds)).toBeLessThan(60);
  expect(met.time_to_pv).toMatch(/^\d+ s$/);
  expect(Number(met.time_to_acknowledge_seconds)).toBeGreaterThanOrEqual(Number(met.time_to_pv_seconds));
  expect(met.deadline_at!.slice(0, 10)).toBe('2026-11-26');
  expect(missed).toMatchObject({ record: 'pv_case', deadline: 'missed', acknowledged_at: '', time_to_acknowledge_seconds: '' });
  expect(ref.question).toMatch(/children/);
  expect(ref).toMatchObject({ record: 'medical_referral', referred_by: 'U0REP1', answered_by: 'U0MED1', status: 'answered' });
  expect(Number(ref.time_to_answer_seconds)).toBeGreaterThanOrEqual(0);

  const json = runReport(['--since', '2026-11-01', '--until', '2026-11-30', '--format', 'json']);
  expect(json.status).toBe(0);
  const report = JSON.parse(json.stdout);
  expect(report.pvCases).toHaveLength(2);
  expect(report.pvCases.map((c: any) => c.deadline).sort()).toEqual(['met', 'missed']);
  expect(report.referrals).toHaveLength(1);
  expect(typeof report.referrals[0].timeToAnswerSeconds).toBe('number');

  // A period with nothing in it, and usage errors.
  const empty = runReport(['--since', '2026-11-01', '--until', '2026-11-24']);
  expect(empty.stdout.trim().split('\n')).toHaveLength(1);
  expect(runReport([]).status).toBe(2);
  expect(runReport(['--since', '2026-02-30']).stderr).toContain('--since must be a date YYYY-MM-DD.');
  expect(runReport(['--since', '2026-11-01', '--format', 'xml']).status).toBe(2);
});
