#!/usr/bin/env node
/**
 * `npm start` (and the other commands that run compiled code): compiles the TypeScript only
 * when a source is newer than the last build, then runs the compiled entry point in this same
 * process. A restart with unchanged sources costs no compiler run. Plain JavaScript on
 * purpose: it must run before anything is compiled.
 *
 *   node scripts/run-built.cjs src/index [args…]   → builds if stale, runs dist/src/index.js
 *   node scripts/run-built.cjs --build-only         → builds if stale
 */
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
/** What the build reads: the source folders and the files that change its output. */
const INPUTS = ['src', 'handlers', 'blocks', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const STAMP = join('dist', '.build-stamp');

/** The newest modification time (ms) among the build's inputs under `root`. */
function newestInput(root) {
  let newest = 0;
  const visit = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && !name.startsWith('.')) visit(join(path, name));
    } else if (st.mtimeMs > newest) newest = st.mtimeMs;
  };
  for (const input of INPUTS) visit(join(root, input));
  return newest;
}

/** True when there is no build yet, or a source changed after it. */
function isStale(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return true;
  return newestInput(root) > statSync(stamp).mtimeMs;
}

function build(root) {
  const started = Date.now();
  // The stamp records the time the build started: a file saved during the build is newer.
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, STAMP), `${new Date(started).toISOString()}\n`);
  const { utimesSync } = require('node:fs');
  utimesSync(join(root, STAMP), started / 1000, started / 1000);
}

module.exports = { isStale, newestInput, STAMP };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node scripts/run-built.cjs <entry without .ts, e.g. src/index> [args…]');
    process.exit(2);
  }
  if (isStale(ROOT)) {
    try {
      build(ROOT);
    } catch {
      console.error('HCP Pulse could not be compiled (see the errors above); nothing was started.');
      process.exit(1);
    }
  }
  if (entry === '--build-only') process.exit(0);
  // Run the compiled entry as the main module, as if node had been started with it
  // (so `require.main === module` holds there), in this process: no second start-up.
  process.argv = [process.argv[0], join(ROOT, 'dist', `${entry}.js`), ...args];
  require('node:module').runMain();
}
