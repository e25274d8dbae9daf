/**
 * npm run roster:import -- roster.csv
 * Loads or updates HCPs by handle into the bot's database (same DATABASE_URL as the bot).
 * Exits 1 when any row was rejected (the valid rows are still loaded), 2 on a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { openDatabase } from '../src/store/db';
import { importRoster, RosterFileError } from '../src/services/import-roster';

async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run roster:import -- roster.csv');
    return 2;
  }
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
    const result = await importRoster(db.kysely, readFileSync(file, 'utf8'), new Date(), followUpDays);
    for (const p of result.rejected) console.error(`${file}:${p.line}: column ${p.column}: ${p.message}`);
    const rows = new Set(result.rejected.map((p) => p.line)).size;
    console.log(`Loaded ${result.loaded} HCP(s) from ${file}${rows ? `; rejected ${rows} row(s)` : ''}.`);
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
