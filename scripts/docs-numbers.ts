/**
 * npm run docs:numbers [-- --readme README.md --dir .]
 * Rewrites README's performance and quality numbers from bench-results.json and
 * eval-results.json (see scripts/lib/docs-numbers.ts). A missing file is reported and its
 * section left as it is; a malformed one, or missing markers, fails with exit code 1.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderResults, replaceSection, SECTIONS, type SectionName } from './lib/docs-numbers';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = flag('--dir') ?? join(__dirname, '..');
const readmePath = flag('--readme') ?? join(dir, 'README.md');

let readme = readFileSync(readmePath, 'utf8');
let failed = false;
let updated = 0;
for (const name of Object.keys(SECTIONS) as SectionName[]) {
  const { file, command, title } = SECTIONS[name];
  const path = join(dir, file);
  if (!existsSync(path)) {
    console.log(`${file} not found in ${dir}: run \`${command}\` first (it writes it). README's "${title}" numbers are left as they are.`);
    continue;
  }
  try {
    readme = replaceSection(readme, name, renderResults(name, JSON.parse(readFileSync(path, 'utf8'))));
    updated += 1;
    console.log(`README's "${title}" numbers rewritten from ${file}.`);
  } catch (err) {
    console.error(`${file}: ${(err as Error).message}`);
    failed = true;
  }
}
if (updated && !failed) writeFileSync(readmePath, readme);
process.exit(failed ? 1 : 0);
