/**
 * npm run audit:export -- --since 2026-01-01 [--until 2026-12-31] [--format csv|json]
 * Prints the audit trail (who did what, when, before / after) for compliance reviews, oldest
 * first, from the bot's database (DATABASE_URL). Exit 2 on a usage error.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { auditTrail } from '../src/store/audit';
import { openDatabase } from '../src/store/db';

const USAGE = 'Usage: npm run audit:export -- --since YYYY-MM-DD [--until YYYY-MM-DD] [--format csv|json]';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let values: { since?: string; until?: string; format?: string };
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string', default: 'csv' } } }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!values.since || !day.test(values.since) || Number.isNaN(Date.parse(values.since))) {
    console.error(`--since must be a date YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  if (values.until && (!day.test(values.until) || Number.isNaN(Date.parse(values.until)))) {
    console.error(`--until must be a date YYYY-MM-DD.\n${USAGE}`);
    return 2;
  }
  if (values.format !== 'csv' && values.format !== 'json') {
    console.error(`--format must be csv or json.\n${USAGE}`);
    return 2;
  }
  const db = await openDatabase(process.env.DATABASE_URL || 'file:./data/hcp-pulse.db');
  try {
    // --until is a whole day: entries up to its end.
    const until = values.until ? new Date(Date.parse(values.until) + 86_400_000) : undefined;
    const rows = await auditTrail(db.kysely, { since: new Date(values.since), until });
    if (values.format === 'json') {
      process.stdout.write(
        JSON.stringify(rows.map((r) => ({ ...r, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null })), null, 2) + '\n',
      );
    } else {
      process.stdout.write(stringify(rows, { header: true, columns: ['id', 'at', 'actor', 'action', 'mention_id', 'source', 'external_id', 'url', 'before', 'after'] }));
    }
    console.error(`${rows.length} audit entr${rows.length === 1 ? 'y' : 'ies'} since ${values.since}${values.until ? ` until ${values.until}` : ''}.`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`audit export failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
