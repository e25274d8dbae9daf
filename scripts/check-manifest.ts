/**
 * npm run manifest:check: validates manifest.json against Slack's own manifest JSON schema
 * (tests/fixtures/slack-manifest-schema, MIT) and checks it declares what the bot serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifest } from './lib/manifest';

const root = join(__dirname, '..');
const problems = checkManifest(JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')));
if (problems.length) {
  console.error(`manifest.json has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('manifest.json is valid against Slack\'s manifest schema and declares every surface the bot serves.');
