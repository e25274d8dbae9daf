import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, whether we run from src/ (tsx, jest) or from dist/ (npm start). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}
