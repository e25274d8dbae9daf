import type { KnownBlock, ModalView } from '@slack/types';
import { previewEmail, type EmailContext, type EmailTemplate } from '../src/domain/email-template';
import { escapeMrkdwn, quote } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { textInput } from './inputs';
import { context } from './kit';

/** The Draft email modal: the approved text locked, only the template's fields editable. */
export const DRAFT_EMAIL_VIEW = 'draft_email';
export const fieldBlockId = (name: string) => `field:${name}`;
export const FIELD_ACTION = 'value';

export interface DraftEmailMetadata {
  mentionId: number;
  templateId: string;
}

export function draftEmailModal(
  t: EmailTemplate,
  ctx: EmailContext,
  fieldValues: Record<string, string>,
  recipient: string | null,
  meta: DraftEmailMetadata,
): ModalView {
  const preview = previewEmail(t, ctx);
  const body = truncateEscaped(preview.body, LIMITS.sectionText - 200, escapeMrkdwn).text;
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Approved template *${escapeMrkdwn(t.approvalCode)}*. The text is locked; you can change only the fields below.` }],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*To:* ${recipient ? escapeMrkdwn(recipient) : `${escapeMrkdwn(ctx.hcp_name)} (no email on the roster: add it in your mail app)`}\n*Subject:* ${escapeMrkdwn(preview.subject)}`,
          LIMITS.sectionText,
        ),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: quote(body) } },
    ...t.fields.map((f) =>
      textInput(fieldBlockId(f.name), FIELD_ACTION, f.label, fieldValues[f.name] ?? '', { max: f.maxLength, optional: f.optional, multiline: f.maxLength > 100 }),
    ),
  ];
  return {
    type: 'modal',
    callback_id: DRAFT_EMAIL_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Draft email' },
    submit: { type: 'plain_text', text: 'Send me the draft' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** The direct message with the final text and an Open in email button. */
export function draftEmailMessage(input: {
  hcpName: string;
  postUrl: string | null;
  recipient: string | null;
  subject: string;
  body: string;
  mailto: { url: string; shortened: boolean };
  approvalCode: string;
}): { text: string; blocks: KnownBlock[] } {
  const about = input.postUrl ? ` about <${input.postUrl.replace(/[|>]/g, encodeURIComponent)}|the post>` : '';
  const notes = [`Approved template ${escapeMrkdwn(input.approvalCode)}.`];
  if (!input.recipient) notes.push('No email on the roster: add the recipient in your mail app.');
  if (input.mailto.shortened) notes.push('The text is too long for an email link: the link holds a shortened body; copy the full text from here.');
  const body = truncateEscaped(input.body, LIMITS.sectionText - 50, escapeMrkdwn).text;
  return {
    text: escapeMrkdwn(`Your draft email to ${input.hcpName}: ${input.subject}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`Your draft email to *${escapeMrkdwn(input.hcpName)}*${about}. Send it privately, never as a public reply.`, LIMITS.sectionText) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(`*To:* ${input.recipient ? escapeMrkdwn(input.recipient) : '_(add the recipient)_'}\n*Subject:* ${escapeMrkdwn(input.subject)}`, LIMITS.sectionText) } },
      { type: 'section', text: { type: 'mrkdwn', text: quote(body) } },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in email' }, url: input.mailto.url, action_id: 'open_mailto', style: 'primary' }] },
      context(notes.join(' ')),
    ],
  };
}
