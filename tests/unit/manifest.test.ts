import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifest, checkManifestPair } from '../../scripts/lib/manifest';
import { checkScopes, methodsUsed, readSources, SCOPES } from '../../scripts/lib/scopes';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
const socket = JSON.parse(readFileSync(join(ROOT, 'manifest.socket.json'), 'utf8'));
const sources = readSources(ROOT);
const clone = (m: unknown) => JSON.parse(JSON.stringify(m));

test('manifest.json is valid against Slack\'s schema and declares every surface', () => {
  expect(checkManifest(manifest)).toEqual([]);
});

test('the checker catches a broken manifest', () => {
  const broken = { ...manifest, display_information: { name: 'x'.repeat(40) }, features: { ...manifest.features, shortcuts: [] } };
  const problems = checkManifest(broken);
  expect(problems.some((p) => p.includes('/display_information/name'))).toBe(true);
  expect(problems).toContain('missing the log_hcp_mention message shortcut');
});

test('manifest.socket.json is valid too, and is the same app without request URLs', () => {
  expect(checkManifest(socket)).toEqual([]);
  expect(checkManifestPair(manifest, socket)).toEqual([]);
  const drifted = clone(socket);
  drifted.oauth_config.scopes.bot.push('channels:read');
  expect(checkManifestPair(manifest, drifted)).toEqual([
    'manifest.json and manifest.socket.json differ beyond request URLs and socket_mode_enabled: change both together',
  ]);
  const withUrl = clone(socket);
  withUrl.settings.interactivity.request_url = 'https://pulse.example.com/slack/events';
  expect(checkManifestPair(manifest, withUrl)).toContain('manifest.socket.json: Socket Mode needs no request URLs; remove them');
});

test('every scope the manifest asks for is used by the code, and every method the code calls has its scope', () => {
  expect(checkScopes(manifest, sources)).toEqual([]);
  // README lists each scope with its feature.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const scope of manifest.oauth_config.scopes.bot as string[]) {
    expect({ scope, inMap: scope in SCOPES, inReadme: readme.includes(`| \`${scope}\` |`) }).toEqual({ scope, inMap: true, inReadme: true });
  }
});

test('a scope no feature uses fails the check', () => {
  for (const extra of ['channels:read', 'users:read.email', 'im:write']) {
    const m = clone(manifest);
    m.oauth_config.scopes.bot.push(extra);
    expect(checkScopes(m, sources)).toEqual([
      `bot scope ${extra} is not used by any feature (scripts/lib/scopes.ts names none): remove it, or add the feature that needs it there and to README`,
    ]);
  }
});

test('a known scope whose methods the code no longer calls fails the check', () => {
  const withoutUsersInfo = sources.map((s) => ({ ...s, text: s.text.replace(/\busers\.info\(/g, 'usersInfoGone(') }));
  expect(checkScopes(manifest, withoutUsersInfo)).toEqual(['bot scope users:read is not used: the code calls none of users.info (least privilege: remove it)']);
});

test('a method or event whose scope is missing fails the check', () => {
  const m = clone(manifest);
  m.oauth_config.scopes.bot = m.oauth_config.scopes.bot.filter((s: string) => s !== 'users:read' && s !== 'groups:history');
  expect(checkScopes(m, sources)).toEqual(['the code calls users.info, which needs bot scope users:read', 'bot event message.groups needs bot scope groups:history']);
  const newCall = [...sources, { file: 'x.ts', text: 'await client.conversations.open({ users: u });' }];
  expect(checkScopes(manifest, newCall)).toEqual(['the code calls conversations.open, which needs bot scope im:write']);
});

test('methods are found where the code calls a Web API client, not in look-alike array calls', () => {
  const found = methodsUsed([{ text: 'client.views.open({}); this.slack.chat.update({}); p.includes.users.find((u) => u); await slack.users.info({})' }]);
  expect([...found].sort()).toEqual(['chat.update', 'users.info', 'views.open']);
});
