import type { ModalView } from '@slack/types';

export const SNOOZE_VIEW = 'snooze_until';
export const SNOOZE_BLOCK = 'until';
export const SNOOZE_ACTION = 'value';
/** The option of a Snooze menu (the card's, a reminder's) that opens this form. */
export const CUSTOM_SNOOZE = { value: 'custom', label: 'Pick a date and time…' } as const;

/**
 * What the form snoozes: an alert (from its card or App Home), or one follow-up reminder
 * (from its reminder message, /hcp followups or App Home), which its reminder id says.
 */
export interface SnoozeTarget {
  mentionId: number;
  reminderId?: number;
}

/**
 * Snooze until a date and time the rep picks (Slack shows it in the rep's own time zone).
 * Starts at `initial` (unix seconds), e.g. tomorrow at this time.
 */
export function snoozeModal(target: SnoozeTarget, author: string, initial: number): ModalView {
  const name = author.slice(0, 200);
  return {
    type: 'modal',
    callback_id: SNOOZE_VIEW,
    private_metadata: JSON.stringify(target.reminderId === undefined ? { mentionId: target.mentionId } : { mentionId: target.mentionId, reminderId: target.reminderId }),
    title: { type: 'plain_text', text: 'Snooze' },
    submit: { type: 'plain_text', text: 'Snooze' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'plain_text', text: target.reminderId === undefined ? `Bring the mention by ${name} back on:` : `Remind me of this follow-up (post by ${name}) on:` },
      },
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
