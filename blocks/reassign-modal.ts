import type { ModalView } from '@slack/types';

export const REASSIGN_VIEW = 'reassign';
export const REASSIGN_BLOCK = 'assignee';
export const REASSIGN_ACTION = 'value';

/** Picks who works the alert; opens with the clicker chosen, so "me" is one click. */
export function reassignModal(mentionId: number, author: string, initialUser: string): ModalView {
  return {
    type: 'modal',
    callback_id: REASSIGN_VIEW,
    private_metadata: JSON.stringify({ mentionId }),
    title: { type: 'plain_text', text: 'Reassign' },
    submit: { type: 'plain_text', text: 'Assign' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `Who should handle the mention by ${author.slice(0, 200)}?` } },
      {
        type: 'input',
        block_id: REASSIGN_BLOCK,
        label: { type: 'plain_text', text: 'Assign to' },
        element: { type: 'users_select', action_id: REASSIGN_ACTION, initial_user: initialUser, placeholder: { type: 'plain_text', text: 'Choose a person' } },
      },
    ],
  };
}
