import { z } from 'zod';
import { SENTIMENTS, type Sentiment } from './mention';

/**
 * Approved email templates (the way approved-email systems work in pharma): the subject and
 * body are fixed text with placeholders; reps may edit only the declared fields. Validated
 * at start-up so an unknown placeholder or a missing sentiment stops the bot, not a rep.
 */
export const CONTEXT_PLACEHOLDERS = ['hcp_name', 'author_handle', 'post_url', 'post_excerpt', 'posted_date', 'product', 'source_name', 'rep_name'] as const;
export type EmailContext = Record<(typeof CONTEXT_PLACEHOLDERS)[number], string>;

const fieldSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,30}$/, 'field names are lower_snake_case'),
  label: z.string().min(1).max(60),
  default: z.string().max(300).optional(),
  maxLength: z.number().int().min(1).max(2000),
  optional: z.boolean().default(false),
});

export const templateSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'template ids are lower-case words joined by hyphens'),
  sentiment: z.enum(SENTIMENTS),
  approvalCode: z.string().min(1).max(80),
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(2500),
  fields: z.array(fieldSchema).max(5),
});
export type EmailTemplate = z.output<typeof templateSchema>;

export const templateFileSchema = z.object({ templates: z.array(templateSchema).min(1) });

const PLACEHOLDER = /\{\{\s*([a-z0-9_]+)\s*\}\}/g;

/** Problems with a set of templates, each naming the template: empty when it is usable. */
export function templateProblems(templates: EmailTemplate[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const t of templates) {
    if (ids.has(t.id)) problems.push(`template "${t.id}": the id is used twice`);
    ids.add(t.id);
    const known = new Set<string>([...CONTEXT_PLACEHOLDERS, ...t.fields.map((f) => f.name)]);
    for (const [where, text] of [['subject', t.subject], ['body', t.body], ...t.fields.map((f) => [`field ${f.name} default`, f.default ?? ''])] as [string, string][]) {
      for (const m of text.matchAll(PLACEHOLDER)) {
        if (!known.has(m[1]!)) problems.push(`template "${t.id}": unknown placeholder {{${m[1]}}} in ${where}`);
      }
    }
    for (const f of t.fields) {
      if ((CONTEXT_PLACEHOLDERS as readonly string[]).includes(f.name)) problems.push(`template "${t.id}": field "${f.name}" shadows a built-in placeholder`);
      if (!t.body.includes(`{{${f.name}}}`) && !t.subject.includes(`{{${f.name}}}`)) problems.push(`template "${t.id}": field "${f.name}" is not used in the subject or body`);
    }
  }
  for (const s of SENTIMENTS) if (!templates.some((t) => t.sentiment === s)) problems.push(`no template for sentiment "${s}"`);
  return problems;
}

export const templateFor = (templates: EmailTemplate[], sentiment: Sentiment): EmailTemplate => templates.find((t) => t.sentiment === sentiment)!;

const fill = (text: string, values: Record<string, string>) => text.replace(PLACEHOLDER, (_, name: string) => values[name] ?? '');

/** Field values a rep starts from: each field's default filled from the context. */
export const defaultFieldValues = (t: EmailTemplate, ctx: EmailContext): Record<string, string> =>
  Object.fromEntries(t.fields.map((f) => [f.name, fill(f.default ?? '', ctx).slice(0, f.maxLength)]));

export function renderEmail(t: EmailTemplate, ctx: EmailContext, fields: Record<string, string>): { subject: string; body: string } {
  const values: Record<string, string> = { ...ctx };
  for (const f of t.fields) {
    const v = (fields[f.name] ?? '').trim().slice(0, f.maxLength);
    // An optional note stands as its own paragraph, or vanishes with its blank line.
    values[f.name] = f.optional ? (v ? `\n${v}\n` : '') : v;
  }
  return { subject: fill(t.subject, values).replace(/\s+/g, ' ').trim(), body: fill(t.body, values).replace(/\n{3,}/g, '\n\n').trim() };
}

/** The locked text as a rep sees it in the modal: fields shown by label. */
export function previewEmail(t: EmailTemplate, ctx: EmailContext): { subject: string; body: string } {
  const labels = Object.fromEntries(t.fields.map((f) => [f.name, `[${f.label}]`]));
  return { subject: fill(t.subject, { ...ctx, ...labels }), body: fill(t.body, { ...ctx, ...labels }) };
}

/** mailto: link within Slack's button URL limit; the body is shortened (and says so) when needed. */
export function mailtoLink(to: string | null, subject: string, body: string, maxLength = 3000): { url: string; shortened: boolean } {
  const build = (b: string) => `mailto:${to ? encodeURIComponent(to) : ''}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(b)}`;
  let url = build(body);
  if (url.length <= maxLength) return { url, shortened: false };
  const note = '\n\n[Shortened: copy the full text from Slack.]';
  let keep = body.length;
  while (keep > 0 && (url = build(body.slice(0, keep).trimEnd() + '…' + note)).length > maxLength) keep -= Math.max(1, Math.ceil((url.length - maxLength) / 3));
  return { url, shortened: true };
}
