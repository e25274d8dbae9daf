/**
 * npm run audit:export -- --since 2026-01-01 [--until 2026-12-31] [--format csv|json]
 * Prints the audit trail (who did what, when, before / after) for compliance reviews, oldest
 * first, from the bot's database (DATABASE_URL). Exit 2 on a usage error.
 */
import { stringify } from 'csv-stringify/sync';
import { auditTrail } from '../src/store/audit';
import { describePeriod, parsePeriod, runReport } from './lib/report-cli';

const USAGE = 'Usage: npm run audit:export -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--format csv|json]';

const period = parsePeriod({ usage: USAGE, sinceRequired: true, until: true, format: true });
if (!period?.sinceAt) process.exit(2);
else
  runReport('audit export', async (db) => {
    const rows = await auditTrail(db.kysely, { since: period.sinceAt as Date, until: period.untilAt ?? undefined });
    if (period.format === 'json') {
      process.stdout.write(
        JSON.stringify(rows.map((r) => ({ ...r, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null })), null, 2) + '\n',
      );
    } else {
      process.stdout.write(stringify(rows, { header: true, columns: ['id', 'at', 'actor', 'action', 'mention_id', 'source', 'external_id', 'url', 'before', 'after'] }));
    }
    console.error(`${rows.length} audit entr${rows.length === 1 ? 'y' : 'ies'}${describePeriod(period)}.`);
    return 0;
  });
