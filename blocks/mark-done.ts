import type { ModalView } from '@slack/types';
import { DONE_REASONS } from '../src/domain/rep-actions';

export const MARK_DONE_VIEW = 'mark_done';
export const REASON_BLOCK = 'reason';
export const REASON_ACTION = 'value';

/** Asks why the mention is done: the reason goes to the card and the audit trail. */
export function markDoneModal(mentionId: number, author: string): ModalView {
  return {
    type: 'modal',
    callback_id: MARK_DONE_VIEW,
    private_metadata: JSON.stringify({ mentionId }),
    title: { type: 'plain_text', text: 'Mark done' },
    submit: { type: 'plain_text', text: 'Mark done' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `How was the mention by ${author.slice(0, 200)} handled?` } },
      {
        type: 'input',
        block_id: REASON_BLOCK,
        label: { type: 'plain_text', text: 'Reason' },
        element: {
          type: 'radio_buttons',
          action_id: REASON_ACTION,
          initial_option: { text: { type: 'plain_text', text: 'Contacted' }, value: 'contacted' },
          options: Object.entries(DONE_REASONS).map(([value, label]) => ({ text: { type: 'plain_text', text: label[0]!.toUpperCase() + label.slice(1) }, value })),
        },
      },
    ],
  };
}
