import type { ModalView, KnownBlock } from '@slack/types';
import { truncate } from './limits';
import { textInput } from './inputs';

/** The modal of the "Log HCP mention" message shortcut, prefilled from the message. */
export const LOG_MENTION_VIEW = 'log_hcp_mention_modal';
export const LOG_FIELDS = { url: 'post_url', handle: 'author_handle', name: 'author_name', text: 'post_text', product: 'product' } as const;
export const LOG_ACTION = 'value';
/** Slack's plain_text_input holds at most 3,000 characters. */
const INPUT_MAX = 3000;

export interface LogMentionPrefill {
  url: string;
  handle: string;
  name: string;
  text: string;
  product: string;
  fromPreview: boolean;
}

const input = (blockId: string, label: string, value: string, opts: { optional?: boolean; multiline?: boolean; max: number; hint?: string }): KnownBlock =>
  textInput(blockId, LOG_ACTION, label, value, opts);

export function logMentionModal(prefill: LogMentionPrefill, meta: { channel: string; messageTs: string }): ModalView {
  return {
    type: 'modal',
    callback_id: LOG_MENTION_VIEW,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Log HCP mention' },
    submit: { type: 'plain_text', text: 'Log mention' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: prefill.fromPreview
              ? 'Filled in from the message and Slack\'s preview of the post. Correct anything that is wrong.'
              : 'No preview of the post was found: paste the post\'s own text, not your comment.',
          },
        ],
      },
      input(LOG_FIELDS.url, 'Link to the post', prefill.url, { max: 2000, hint: 'e.g. https://x.com/drjane/status/1790000000000000001' }),
      input(LOG_FIELDS.handle, 'Author\'s handle', prefill.handle, { max: 100 }),
      input(LOG_FIELDS.name, 'Author\'s name', prefill.name, { max: 200, optional: true }),
      input(LOG_FIELDS.text, 'What the post says', truncate(prefill.text, INPUT_MAX), { max: INPUT_MAX, multiline: true }),
      input(LOG_FIELDS.product, 'Product', prefill.product, { max: 100, optional: true }),
    ],
  };
}
