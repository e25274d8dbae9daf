import type { ModalView } from '@slack/types';

export const SNOOZE_VIEW = 'snooze_until';
export const SNOOZE_BLOCK = 'until';
export const SNOOZE_ACTION = 'value';
/** The option of the card's Snooze menu that opens this form. */
export const CUSTOM_SNOOZE = { value: 'custom', label: 'Pick a date and time…' } as const;

/**
 * Snooze until a date and time the rep picks (Slack shows it in the rep's own time zone).
 * Starts at `initial` (unix seconds), e.g. tomorrow at this time.
 */
export function snoozeModal(mentionId: number, author: string, initial: number): ModalView {
  return {
    type: 'modal',
    callback_id: SNOOZE_VIEW,
    private_metadata: JSON.stringify({ mentionId }),
    title: { type: 'plain_text', text: 'Snooze' },
    submit: { type: 'plain_text', text: 'Snooze' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `Bring the mention by ${author.slice(0, 200)} back on:` } },
      {
        type: 'input',
        block_id: SNOOZE_BLOCK,
        label: { type: 'plain_text', text: 'Date and time' },
        hint: { type: 'plain_text', text: 'In your time zone. The reminder waits for working hours on working days.' },
        element: { type: 'datetimepicker', action_id: SNOOZE_ACTION, initial_date_time: initial },
      },
    ],
  };
}
