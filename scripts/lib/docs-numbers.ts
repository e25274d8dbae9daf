/**
 * README's measured numbers, generated rather than typed: `npm run bench` writes
 * bench-results.json and `npm run eval` writes eval-results.json (their owners choose the
 * content); this rewrites README between the markers
 *
 *   <!-- numbers:bench:begin --> … <!-- numbers:bench:end -->
 *   <!-- numbers:eval:begin -->  … <!-- numbers:eval:end -->
 *
 * A results file may carry a `markdown` string, used as it is; otherwise every number in it
 * is listed by its path, so a new measurement shows up without a change here. A missing
 * results file leaves its section as it was, with a message saying which command writes it.
 */
export const SECTIONS = {
  bench: { file: 'bench-results.json', command: 'npm run bench', title: 'Performance' },
  eval: { file: 'eval-results.json', command: 'npm run eval', title: 'Classifier quality' },
} as const;

export type SectionName = keyof typeof SECTIONS;

export const markers = (name: SectionName) => ({ begin: `<!-- numbers:${name}:begin -->`, end: `<!-- numbers:${name}:end -->` });

const fmt = (v: unknown): string => {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
};

/** Every leaf of a results object as `path | value`, in the file's own order. */
function leaves(value: unknown, path: string[] = [], out: [string, string][] = []): [string, string][] {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leaves(v, [...path, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  }
  else if (value !== null && value !== undefined) out.push([path.join('.'), fmt(value)]);
  return out;
}

/** The Markdown for one section from its results JSON. */
export function renderResults(name: SectionName, results: unknown): string {
  if (!results || typeof results !== 'object' || Array.isArray(results)) {
    throw new Error(`${SECTIONS[name].file} must hold a JSON object`);
  }
  const r = results as Record<string, unknown>;
  if (typeof r.markdown === 'string') return r.markdown.trim();
  const { generatedAt, machine, ...rest } = r;
  const head: string[] = [];
  if (generatedAt || machine) head.push(`Measured${machine ? ` on ${fmt(machine)}` : ''}${generatedAt ? ` at ${fmt(generatedAt)}` : ''} (\`${SECTIONS[name].command}\`).`, '');
  const rows = leaves(rest);
  if (!rows.length) throw new Error(`${SECTIONS[name].file} holds no measurement`);
  return [...head, '| measurement | value |', '| --- | --- |', ...rows.map(([k, v]) => `| \`${k}\` | ${v} |`)].join('\n');
}

/** Replaces the text between a section's markers; throws when the markers are missing or out of order. */
export function replaceSection(readme: string, name: SectionName, body: string): string {
  const { begin, end } = markers(name);
  const a = readme.indexOf(begin);
  const b = readme.indexOf(end);
  if (a < 0 || b < 0 || b < a) throw new Error(`README has no ${begin} … ${end} pair`);
  return `${readme.slice(0, a + begin.length)}\n${body}\n${readme.slice(b)}`;
}
