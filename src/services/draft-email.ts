import { defaultFieldValues, templateFor, type EmailContext, type EmailTemplate } from '../domain/email-template';
import type { Sentiment } from '../domain/mention';
import { findHcp, findMention } from '../store/mentions';
import type { ServiceContext } from './context';
import { MentionNotFound } from './card-actions';

export interface EmailDraftInput {
  template: EmailTemplate;
  context: EmailContext;
  recipient: string | null;
  fieldValues: Record<string, string>;
  postUrl: string | null;
}

const SOURCE_NAMES: Record<string, string> = { x: 'X', twitter: 'X', linkedin: 'LinkedIn', bluesky: 'Bluesky', threads: 'Threads' };

/** Everything the Draft email modal needs: two indexed reads, fast enough for a 3-second trigger. */
export async function prepareEmailDraft(ctx: ServiceContext, mentionId: number, repName: string, templateId?: string): Promise<EmailDraftInput> {
  const m = await findMention(ctx.db.kysely, mentionId);
  if (!m) throw new MentionNotFound(mentionId);
  const hcp = await findHcp(ctx.db.kysely, m.author_handle);
  const template = (templateId && ctx.emailTemplates.find((t) => t.id === templateId)) || templateFor(ctx.emailTemplates, m.sentiment as Sentiment);
  const context: EmailContext = {
    hcp_name: hcp?.name ?? m.author_name ?? `@${m.author_handle}`,
    author_handle: `@${m.author_handle}`,
    post_url: m.url ?? '',
    post_excerpt: m.text.length > 140 ? `${m.text.slice(0, 139)}…` : m.text,
    posted_date: m.posted_at.slice(0, 10),
    product: m.product ?? 'our product',
    source_name: SOURCE_NAMES[m.source] ?? m.source,
    rep_name: repName,
  };
  return { template, context, recipient: hcp?.email ?? null, fieldValues: defaultFieldValues(template, context), postUrl: m.url };
}
