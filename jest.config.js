/**
 * Two passes over the same tests: `npm test` on SQLite, `npm run test:pg` (TEST_DATABASE_URL)
 * with every bot on a fresh PostgreSQL database. The tests about PostgreSQL itself (several
 * instances, an outage, the PostgreSQL paths of the store) run in the PostgreSQL pass only:
 * in the SQLite pass they would be the same tests a second time.
 */
const POSTGRES_ONLY = ['tests/e2e/postgres.test.ts', 'tests/e2e/pv-postgres.test.ts', 'tests/e2e/several-instances.test.ts', 'tests/e2e/database-outage.test.ts'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.TEST_DATABASE_URL ? [] : POSTGRES_ONLY.map((f) => `<rootDir>/${f}`))],
  // Type checking runs once in `npm test` (tsc --noEmit); ts-jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
  maxWorkers: 2,
  // npm run test:pg: fails at once, in one line, when PostgreSQL is not there.
  globalSetup: '<rootDir>/tests/support/global-setup.js',
};
