import { detectLanguage } from '../src/domain/classifier/language';
import { readFileSync } from 'node:fs';
const rows = ['/work/wt/corpus-dev-a/tests/corpus/dev-a.jsonl','/work/wt/corpus-dev-b/tests/corpus/dev-b.jsonl'].flatMap(f=>readFileSync(f,'utf8').split('\n').filter(Boolean).map(l=>JSON.parse(l)));
let ok=0; const t=Date.now();
for (const r of rows) { const l = detectLanguage(r.text).language; if (l===r.language) ok++; else console.log(r.language, l, r.text.slice(0,100)); }
console.log(ok, rows.length, (Date.now()-t)/rows.length, 'ms');
