/**
 * npm run roster:import -- roster.csv [--dry-run] [--prune]
 * Loads or updates HCPs by handle into the bot's database (same DATABASE_URL as the bot).
 * --dry-run reports what would change and writes nothing; --prune retires every HCP the file
 * does not name. Exits 1 when any row was rejected (the valid rows are still loaded), 2 on a
 * usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { openDatabase } from '../src/store/db';
import { importRoster, RosterFileError, type RosterChange } from '../src/services/import-roster';

const USAGE = 'Usage: npm run roster:import -- roster.csv [--dry-run] [--prune]';

function describe(c: RosterChange): string {
  switch (c.kind) {
    case 'added':
      return `added     @${c.handle}`;
    case 'updated':
      return `updated   @${c.handle}: ${c.fields.join(', ')}`;
    case 'unchanged':
      return `unchanged @${c.handle}`;
    case 'retired':
      return `retired   @${c.handle} (${c.reason === 'missing' ? 'not in the file, --prune' : 'active = no'})`;
  }
}

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const args = process.argv.slice(2);
  const flags = args.filter((a) => a.startsWith('--'));
  const files = args.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--dry-run' && f !== '--prune');
  if (unknown.length || files.length !== 1) {
    console.error(unknown.length ? `Unknown option(s) ${unknown.join(', ')}. ${USAGE}` : USAGE);
    return 2;
  }
  const file = files[0]!;
  const dryRun = flags.includes('--dry-run');
  const prune = flags.includes('--prune');
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    return 2;
  }
  const url = process.env.DATABASE_URL || 'file:./data/hcp-pulse.db';
  // The same follow-up delays as the bot, so a changed target flag replans correctly.
  const days = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  const followUpDays = { negative: days('FOLLOW_UP_NEGATIVE_DAYS', 7), neutral: days('FOLLOW_UP_NEUTRAL_DAYS', 90), positive: days('FOLLOW_UP_POSITIVE_DAYS', 14) };
  const db = await openDatabase(url);
  try {
    const result = await importRoster(db.kysely, readFileSync(file, 'utf8'), new Date(), { followUpDays, dryRun, prune });
    for (const p of result.rejected) console.error(`${file}:${p.line}: column ${p.column}: ${p.message}`);
    const rows = new Set(result.rejected.map((p) => p.line)).size;
    // A dry run lists every HCP; a real run lists only what changed (a big roster stays readable).
    for (const c of result.changes) if (dryRun || c.kind !== 'unchanged') console.log(describe(c));
    const t = result.totals;
    const totals = `${t.added} added, ${t.updated} updated, ${t.unchanged} unchanged, ${t.retired} retired`;
    if (dryRun) console.log(`Dry run: ${totals}${rows ? `; ${rows} row(s) would be rejected` : ''}. Nothing was written.`);
    else console.log(`Loaded ${result.loaded} HCP(s) from ${file}: ${totals}${rows ? `; rejected ${rows} row(s)` : ''}.`);
    return rows ? 1 : 0;
  } catch (err) {
    if (err instanceof RosterFileError) {
      console.error(`${file}: ${err.message}`);
      return 2;
    }
    throw err;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`roster import failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
