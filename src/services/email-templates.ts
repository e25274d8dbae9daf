import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import { templateFileSchema, templateProblems, type EmailTemplate } from '../domain/email-template';

export const DEFAULT_TEMPLATES_FILE = join(projectRoot(), 'src', 'templates', 'email-templates.json');

export class TemplateFileError extends Error {}

/** Reads and checks the approved templates; any problem is a start-up error naming the file. */
export function loadEmailTemplates(file: string): EmailTemplate[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TemplateFileError(`email templates ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const parsed = templateFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const idx = i.path[1];
      const id = typeof idx === 'number' ? (raw as { templates?: { id?: string }[] }).templates?.[idx]?.id : undefined;
      return `${id ? `template "${id}"` : i.path.join('.')}: ${i.path.slice(2).join('.') || ''} ${i.message}`.replace(/\s+/g, ' ');
    });
    throw new TemplateFileError(`email templates ${file}:\n  - ${lines.join('\n  - ')}`);
  }
  const problems = templateProblems(parsed.data.templates);
  if (problems.length) throw new TemplateFileError(`email templates ${file}:\n  - ${problems.join('\n  - ')}`);
  return parsed.data.templates;
}
