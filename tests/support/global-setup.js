// Runs once before the suite. Under TEST_DATABASE_URL (npm run test:pg) the PostgreSQL server
// must answer: say so in one line instead of letting every test fail on its own.
const { Client } = require('pg');

module.exports = async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (err) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL does not answer there (${err.message}); start it or unset TEST_DATABASE_URL for the SQLite pass`);
  } finally {
    await client.end().catch(() => undefined);
  }
};
