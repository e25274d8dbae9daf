import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifest } from '../../scripts/lib/manifest';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'manifest.json'), 'utf8'));

test('manifest.json is valid against Slack\'s schema and declares every surface', () => {
  expect(checkManifest(manifest)).toEqual([]);
});

test('the checker catches a broken manifest', () => {
  const broken = { ...manifest, display_information: { name: 'x'.repeat(40) }, features: { ...manifest.features, shortcuts: [] } };
  const problems = checkManifest(broken);
  expect(problems.some((p) => p.includes('/display_information/name'))).toBe(true);
  expect(problems).toContain('missing the log_hcp_mention message shortcut');
});
