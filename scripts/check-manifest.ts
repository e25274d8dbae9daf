/**
 * npm run manifest:check: validates manifest.json and manifest.socket.json against Slack's own
 * manifest JSON schema (tests/fixtures/slack-manifest-schema, MIT), checks they declare what the
 * bot serves and agree with each other, and that every bot scope is one the code uses (least
 * privilege, scripts/lib/scopes.ts) and every method or event the code uses has its scope.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifest, checkManifestPair } from './lib/manifest';
import { checkScopes, readSources } from './lib/scopes';

const root = join(__dirname, '..');
const read = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8'));
const http = read('manifest.json');
const socket = read('manifest.socket.json');
const sources = readSources(root);
const problems = [
  ...checkManifest(http).map((p) => `manifest.json: ${p}`),
  ...checkManifest(socket).map((p) => `manifest.socket.json: ${p}`),
  ...checkManifestPair(http, socket),
  ...checkScopes(http, sources),
];
if (problems.length) {
  console.error(`The manifests have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `manifest.json and manifest.socket.json are valid against Slack's manifest schema, declare every surface the bot serves, and ask only for scopes the code uses (${(http.oauth_config.scopes.bot as string[]).join(', ')}).`,
);
