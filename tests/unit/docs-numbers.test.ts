import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { markers, renderResults, replaceSection } from '../../scripts/lib/docs-numbers';
import { runScript } from '../support/process';

const ROOT = join(__dirname, '..', '..');

test('README carries both marker pairs', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const name of ['bench', 'eval'] as const) {
    const { begin, end } = markers(name);
    expect(readme.indexOf(begin)).toBeGreaterThan(0);
    expect(readme.indexOf(end)).toBeGreaterThan(readme.indexOf(begin));
  }
});

test('results become a table of every number by its path, or the file\'s own markdown', () => {
  const table = renderResults('bench', { generatedAt: '2026-12-02T14:00:00Z', webhook: { perSecond: 612.345, p99Ms: 48 }, tick: { claimed: 10000 } });
  expect(table).toBe(
    [
      'Measured at 2026-12-02T14:00:00Z (`npm run bench`).',
      '',
      '| measurement | value |',
      '| --- | --- |',
      '| `webhook.perSecond` | 612.3 |',
      '| `webhook.p99Ms` | 48 |',
      '| `tick.claimed` | 10,000 |',
    ].join('\n'),
  );
  expect(renderResults('eval', { markdown: '  Stance macro F1 **0.81**  ' })).toBe('Stance macro F1 **0.81**');
  expect(() => renderResults('eval', [])).toThrow('eval-results.json must hold a JSON object');
});

test('only the text between the markers changes', () => {
  const readme = 'intro\n<!-- numbers:eval:begin -->\nold\n<!-- numbers:eval:end -->\noutro\n';
  expect(replaceSection(readme, 'eval', 'new')).toBe('intro\n<!-- numbers:eval:begin -->\nnew\n<!-- numbers:eval:end -->\noutro\n');
  expect(() => replaceSection('no markers', 'bench', 'x')).toThrow('README has no <!-- numbers:bench:begin --> … <!-- numbers:bench:end --> pair');
});

test('npm run docs:numbers rewrites from the files present and says which are missing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-docs-'));
  try {
    copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
    const before = readFileSync(join(dir, 'README.md'), 'utf8');
    writeFileSync(join(dir, 'eval-results.json'), JSON.stringify({ stance: { macroF1: 0.8123 } }));
    const res = await runScript('docs-numbers.ts', ['--dir', dir], {});
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('bench-results.json not found');
    expect(res.stdout).toContain('run `npm run bench` first');
    const after = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(after).toContain('<!-- numbers:eval:begin -->\n| measurement | value |\n| --- | --- |\n| `stance.macroF1` | 0.8123 |\n<!-- numbers:eval:end -->');
    // The bench section is untouched.
    const bench = (t: string) => t.slice(t.indexOf('<!-- numbers:bench:begin -->'), t.indexOf('<!-- numbers:bench:end -->'));
    expect(bench(after)).toBe(bench(before));
    writeFileSync(join(dir, 'bench-results.json'), '{ broken');
    const bad = await runScript('docs-numbers.ts', ['--dir', dir], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^bench-results\.json: /m);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe(after);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
