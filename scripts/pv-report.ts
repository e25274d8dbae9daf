/**
 * npm run pv:report -- --since 2026-01-01 [--until 2026-12-31] [--format csv|json]
 * Proof for pharmacovigilance and Medical Information: every PV case opened in the period with
 * its time to PV, time to acknowledgement and whether the deadline was met, and every medical
 * referral with its time to answer. Reads the bot's database (DATABASE_URL). Exit 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { openDatabase } from '../src/store/db';
import { pvCasesOpenedBetween } from '../src/store/pv-cases';
import { referralsBetween } from '../src/store/medical-referrals';
import { humanDuration, pvReportRow, type PvCaseOrigin, type PvCaseStatus, type PvReportRow } from '../src/domain/pv-case';
import { referralReportRow, type ReferralReportRow, type ReferralStatus } from '../src/domain/medical-referral';

const USAGE = 'Usage: npm run pv:report -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--format csv|json]';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (d: string) => DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

const COLUMNS = [
  'record', 'id', 'mention_id', 'url', 'author', 'status', 'origin', 'received_at', 'posted_to_pv_at', 'time_to_pv_seconds', 'time_to_pv',
  'acknowledged_at', 'acknowledged_by', 'time_to_acknowledge_seconds', 'time_to_acknowledge', 'deadline_at', 'deadline', 'escalated_at',
  'closed_at', 'safety_case_id', 'not_ae_reason', 'question', 'referred_by', 'referred_at', 'answered_by', 'answered_at',
  'time_to_answer_seconds', 'time_to_answer',
];

const pvCsvRow = (r: PvReportRow) => ({
  record: 'pv_case', id: r.caseId, mention_id: r.mentionId, url: r.url, author: r.author, status: r.status, origin: r.origin,
  received_at: r.receivedAt, posted_to_pv_at: r.postedToPvAt, time_to_pv_seconds: r.timeToPvSeconds, time_to_pv: humanDuration(r.timeToPvSeconds),
  acknowledged_at: r.acknowledgedAt, acknowledged_by: r.acknowledgedBy, time_to_acknowledge_seconds: r.timeToAcknowledgeSeconds,
  time_to_acknowledge: humanDuration(r.timeToAcknowledgeSeconds), deadline_at: r.deadlineAt, deadline: r.deadline, escalated_at: r.escalatedAt,
  closed_at: r.closedAt, safety_case_id: r.safetyCaseId, not_ae_reason: r.notAeReason,
});

const referralCsvRow = (r: ReferralReportRow) => ({
  record: 'medical_referral', id: r.referralId, mention_id: r.mentionId, url: r.url, author: r.author, status: r.status, question: r.question,
  referred_by: r.referredBy, referred_at: r.referredAt, answered_by: r.answeredBy, answered_at: r.answeredAt,
  time_to_answer_seconds: r.timeToAnswerSeconds, time_to_answer: humanDuration(r.timeToAnswerSeconds),
});

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let values: { since?: string; until?: string; format?: string };
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string', default: 'csv' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.since || !validDay(values.since)) {
    console.error(`--since must be a date YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  if (values.until && !validDay(values.until)) {
    console.error(`--until must be a date YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  if (values.format !== 'csv' && values.format !== 'json') {
    console.error(`--format must be csv or json.\n${USAGE}`);
    return 2;
  }
  const since = new Date(`${values.since}T00:00:00Z`);
  // --until is inclusive: the whole of that day (UTC).
  const until = values.until ? new Date(Date.parse(`${values.until}T00:00:00Z`) + 86_400_000) : null;
  const db = await openDatabase(process.env.DATABASE_URL || 'file:./data/hcp-pulse.db');
  try {
    const now = new Date();
    const cases = (await pvCasesOpenedBetween(db.kysely, since, until)).map((c) =>
      pvReportRow(
        {
          caseId: c.id, mentionId: c.mention_id, url: c.url, authorHandle: c.author_handle, origin: c.origin as PvCaseOrigin, status: c.status as PvCaseStatus,
          receivedAt: c.received_at, openedAt: c.opened_at, postedAt: c.pv_posted_at, acknowledgedAt: c.acknowledged_at, acknowledgedBy: c.acknowledged_by,
          deadlineAt: c.deadline_at, escalatedAt: c.escalated_at, closedAt: c.closed_at, safetyCaseId: c.safety_case_id, notAeReason: c.not_ae_reason,
        },
        now,
      ),
    );
    const referrals = (await referralsBetween(db.kysely, since, until)).map((r) =>
      referralReportRow({
        referralId: r.id, mentionId: r.mention_id, url: r.url, authorHandle: r.author_handle, question: r.question, status: r.status as ReferralStatus,
        referredBy: r.referred_by, referredAt: r.referred_at, answeredBy: r.answered_by, answeredAt: r.answered_at,
      }),
    );
    if (values.format === 'json') {
      process.stdout.write(JSON.stringify({ since: values.since, until: values.until ?? null, pvCases: cases, referrals }, null, 2) + '\n');
    } else {
      process.stdout.write(stringify([...cases.map(pvCsvRow), ...referrals.map(referralCsvRow)], { header: true, columns: COLUMNS }));
    }
    const count = (d: PvReportRow['deadline']) => cases.filter((c) => c.deadline === d).length;
    const answered = referrals.filter((r) => r.status === 'answered').length;
    console.error(
      `${cases.length} PV case${cases.length === 1 ? '' : 's'} since ${values.since}${values.until ? ` until ${values.until}` : ''}: ` +
        `deadline met ${count('met')}, missed ${count('missed')}, pending ${count('pending')}. ` +
        `${referrals.length} medical referral${referrals.length === 1 ? '' : 's'}, ${answered} answered.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`pv report failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
