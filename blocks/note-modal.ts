import type { ModalView } from '@slack/types';
import { textInput } from './inputs';

export const NOTE_VIEW = 'add_note';
export const NOTE_BLOCK = 'note';
export const NOTE_ACTION = 'value';
export const NOTE_MAX = 2000;

/** A note on an alert: it goes to the card's thread as one line and to the audit trail. */
export function noteModal(mentionId: number, author: string): ModalView {
  return {
    type: 'modal',
    callback_id: NOTE_VIEW,
    private_metadata: JSON.stringify({ mentionId }),
    title: { type: 'plain_text', text: 'Add note' },
    submit: { type: 'plain_text', text: 'Add note' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `A note on the mention by ${author.slice(0, 200)}, for the team (it goes to the card's thread).` } },
      textInput(NOTE_BLOCK, NOTE_ACTION, 'Note', '', { max: NOTE_MAX, multiline: true, hint: 'No patient details: notes are kept in the audit trail.' }),
    ],
  };
}
