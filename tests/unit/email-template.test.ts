import { defaultFieldValues, mailtoLink, renderEmail, templateProblems, type EmailContext, type EmailTemplate } from '../../src/domain/email-template';
import { loadEmailTemplates, DEFAULT_TEMPLATES_FILE, TemplateFileError } from '../../src/services/email-templates';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ctx: EmailContext = {
  hcp_name: 'Dr. Jane Doe', author_handle: '@drjane', post_url: 'https://x.com/drjane/status/1', post_excerpt: 'x', posted_date: '2026-11-26',
  product: 'Zentiva', source_name: 'X', rep_name: 'Rep Example',
};

test('the shipped templates cover every sentiment and pass every check', () => {
  const templates = loadEmailTemplates(DEFAULT_TEMPLATES_FILE);
  expect(templates.map((t) => t.sentiment).sort()).toEqual(['negative', 'neutral', 'positive']);
  expect(templateProblems(templates)).toEqual([]);
});

test('rendering fills the context and the fields; an empty optional note leaves no gap', () => {
  const [t] = loadEmailTemplates(DEFAULT_TEMPLATES_FILE).filter((x) => x.sentiment === 'negative') as [EmailTemplate];
  expect(defaultFieldValues(t, ctx)).toEqual({ greeting_name: 'Dr. Jane Doe', personal_note: '' });
  const e = renderEmail(t, ctx, { greeting_name: 'Jane', personal_note: '' });
  expect(e.subject).toBe('Your recent post about Zentiva');
  expect(e.body.startsWith('Dear Jane,\n\nI saw your post on X on 2026-11-26 about Zentiva (https://x.com/drjane/status/1).')).toBe(true);
  expect(e.body).not.toMatch(/\n{3}/);
  expect(e.body.endsWith('Kind regards,\nRep Example')).toBe(true);
  expect(e.body).toMatch(/Medical colleagues/);
  expect(e.body).not.toMatch(/opinion/i);
});

test('an unknown placeholder and a missing sentiment are start-up errors naming the file and template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tpl-'));
  const file = join(dir, 'templates.json');
  writeFileSync(file, JSON.stringify({ templates: [{ id: 'pos', sentiment: 'positive', approvalCode: 'A1', subject: 'Hi {{hcp_nmae}}', body: 'Thanks', fields: [] }] }));
  expect(() => loadEmailTemplates(file)).toThrow(TemplateFileError);
  try {
    loadEmailTemplates(file);
  } catch (err) {
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain('template "pos": unknown placeholder {{hcp_nmae}} in subject');
    expect((err as Error).message).toContain('no template for sentiment "negative"');
  }
});

test('mailto links keep within the limit and say when the body was shortened', () => {
  const short = mailtoLink('a@b.org', 'Hello', 'Short body');
  expect(short).toEqual({ url: 'mailto:a%40b.org?subject=Hello&body=Short%20body', shortened: false });
  const long = mailtoLink(null, 'Hello', 'word '.repeat(1000));
  expect(long.shortened).toBe(true);
  expect(long.url.length).toBeLessThanOrEqual(3000);
  expect(decodeURIComponent(long.url)).toContain('[Shortened: copy the full text from Slack.]');
  expect(long.url.startsWith('mailto:?subject=Hello&body=word')).toBe(true);
});
