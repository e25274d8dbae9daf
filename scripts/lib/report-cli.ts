/**
 * What the read-only report commands (audit:export, pv:report, labels:export) share: the
 * period and format flags with their usage errors, the database they read, and the exit
 * codes (0 done, 1 failed, 2 usage error). One place, so the commands cannot drift apart on
 * what a date is or when --until ends.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '../../src/store/db';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date YYYY-MM-DD that exists (not 2026-02-30). */
export function validDay(d: string): boolean {
  return DAY.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
}

export interface Period {
  since: string | null;
  until: string | null;
  /** The start of `since` (UTC), or null when none was given. */
  sinceAt: Date | null;
  /** The end of the `until` day (UTC): --until is inclusive. */
  untilAt: Date | null;
  format: 'csv' | 'json';
  out: string | null;
}

export interface PeriodOptions {
  usage: string;
  /** Whether --since must be given. */
  sinceRequired: boolean;
  /** Flags beyond --since and --until that the command takes. */
  format?: boolean;
  until?: boolean;
  out?: boolean;
  argv?: string[];
}

/** Parses the flags; on a usage error prints what was wrong and the usage, and returns null. */
export function parsePeriod(opts: PeriodOptions): Period | null {
  const fail = (message: string) => {
    console.error(`${message}\n${opts.usage}`);
    return null;
  };
  let values: { since?: string; until?: string; format?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: opts.argv,
      options: {
        since: { type: 'string' },
        ...(opts.until ? { until: { type: 'string' } } : {}),
        ...(opts.format ? { format: { type: 'string', default: 'csv' } } : {}),
        ...(opts.out ? { out: { type: 'string' } } : {}),
      },
    }) as { values: typeof values });
  } catch (err) {
    return fail((err as Error).message);
  }
  if (values.since === undefined ? opts.sinceRequired : !validDay(values.since)) return fail('--since must be a date YYYY-MM-DD.');
  if (values.until !== undefined && !validDay(values.until)) return fail('--until must be a date YYYY-MM-DD.');
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'json') return fail('--format must be csv or json.');
  if (values.out === '') return fail('--out must name a file.');
  return {
    since: values.since ?? null,
    until: values.until ?? null,
    sinceAt: values.since ? new Date(`${values.since}T00:00:00Z`) : null,
    untilAt: values.until ? new Date(Date.parse(`${values.until}T00:00:00Z`) + 86_400_000) : null,
    format,
    out: values.out ?? null,
  };
}

/** "since 2026-01-01 until 2026-01-31", for the summary line on stderr. */
export function describePeriod(p: Period): string {
  return `${p.since ? ` since ${p.since}` : ''}${p.until ? ` until ${p.until}` : ''}`;
}

/** Runs a report against the bot's database (DATABASE_URL, as `npm start` reads it from .env) and exits with its code. */
export function runReport(name: string, report: (db: Db) => Promise<number>): void {
  const main = async (): Promise<number> => {
    if (existsSync('.env')) process.loadEnvFile('.env');
    const db = await openDatabase(process.env.DATABASE_URL || 'file:./data/hcp-pulse.db');
    try {
      return await report(db);
    } finally {
      await db.close();
    }
  };
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
