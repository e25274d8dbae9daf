import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The launcher behind `npm start` is plain JavaScript (it runs before anything is compiled).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isStale, STAMP } = require('../../scripts/run-built.cjs') as { isStale: (root: string) => boolean; STAMP: string };

/** `npm start` compiles only when a source is newer than the last build. */
test('a build is needed with no stamp, not after one, and again when a source changes', () => {
  const root = mkdtempSync(join(tmpdir(), 'hcp-pulse-build-'));
  try {
    mkdirSync(join(root, 'src', 'domain'), { recursive: true });
    writeFileSync(join(root, 'src', 'domain', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'tsconfig.json'), '{}\n');
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    utimesSync(join(root, 'src', 'domain', 'a.ts'), t(0), t(0));
    utimesSync(join(root, 'tsconfig.json'), t(0), t(0));
    expect(isStale(root)).toBe(true);

    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, STAMP), 'built\n');
    utimesSync(join(root, STAMP), t(10), t(10));
    expect(isStale(root)).toBe(false);

    // A source saved after the build (deep in a folder) makes it stale again.
    utimesSync(join(root, 'src', 'domain', 'a.ts'), t(20), t(20));
    expect(isStale(root)).toBe(true);

    utimesSync(join(root, STAMP), t(30), t(30));
    expect(isStale(root)).toBe(false);
    // So does a change to the compiler's configuration.
    utimesSync(join(root, 'tsconfig.json'), t(40), t(40));
    expect(isStale(root)).toBe(true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
