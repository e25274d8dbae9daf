/**
 * npm run pv:report -- --since 2026-01-01 [--until 2026-12-31] [--format csv|json]
 * Proof for pharmacovigilance and Medical Information: every PV case opened in the period with
 * its time to PV, time to acknowledgement and whether the deadline was met, and every medical
 * referral with its time to answer. Reads the bot's database (DATABASE_URL). Exit 2 on a usage error.
 */
import { stringify } from 'csv-stringify/sync';
import { pvCasesOpenedBetween } from '../src/store/pv-cases';
import { referralsBetween } from '../src/store/medical-referrals';
import { humanDuration, pvReportRow, type PvCaseOrigin, type PvCaseStatus, type PvReportRow } from '../src/domain/pv-case';
import { referralReportRow, type ReferralReportRow, type ReferralStatus } from '../src/domain/medical-referral';
import { describePeriod, parsePeriod, runReport } from './lib/report-cli';

const USAGE = 'Usage: npm run pv:report -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--format csv|json]';

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

const period = parsePeriod({ usage: USAGE, sinceRequired: true, until: true, format: true });
if (!period?.sinceAt) process.exit(2);
else
  runReport('pv report', async (db) => {
    const since = period.sinceAt as Date;
    // The report's own "now": pending deadlines are judged against the moment it runs.
    const now = new Date();
    const cases = (await pvCasesOpenedBetween(db.kysely, since, period.untilAt)).map((c) =>
      pvReportRow(
        {
          caseId: c.id, mentionId: c.mention_id, url: c.url, authorHandle: c.author_handle, origin: c.origin as PvCaseOrigin, status: c.status as PvCaseStatus,
          receivedAt: c.received_at, openedAt: c.opened_at, postedAt: c.pv_posted_at, acknowledgedAt: c.acknowledged_at, acknowledgedBy: c.acknowledged_by,
          deadlineAt: c.deadline_at, escalatedAt: c.escalated_at, closedAt: c.closed_at, safetyCaseId: c.safety_case_id, notAeReason: c.not_ae_reason,
        },
        now,
      ),
    );
    const referrals = (await referralsBetween(db.kysely, since, period.untilAt)).map((r) =>
      referralReportRow({
        referralId: r.id, mentionId: r.mention_id, url: r.url, authorHandle: r.author_handle, question: r.question, status: r.status as ReferralStatus,
        referredBy: r.referred_by, referredAt: r.referred_at, answeredBy: r.answered_by, answeredAt: r.answered_at,
      }),
    );
    if (period.format === 'json') {
      process.stdout.write(JSON.stringify({ since: period.since, until: period.until, pvCases: cases, referrals }, null, 2) + '\n');
    } else {
      process.stdout.write(stringify([...cases.map(pvCsvRow), ...referrals.map(referralCsvRow)], { header: true, columns: COLUMNS }));
    }
    const count = (d: PvReportRow['deadline']) => cases.filter((c) => c.deadline === d).length;
    const answered = referrals.filter((r) => r.status === 'answered').length;
    console.error(
      `${cases.length} PV case${cases.length === 1 ? '' : 's'}${describePeriod(period)}: ` +
        `deadline met ${count('met')}, missed ${count('missed')}, pending ${count('pending')}. ` +
        `${referrals.length} medical referral${referrals.length === 1 ? '' : 's'}, ${answered} answered.`,
    );
    return 0;
  });
