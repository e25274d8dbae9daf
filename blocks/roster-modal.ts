import type { KnownBlock, ModalView } from '@slack/types';
import { textInput } from './inputs';

export const ROSTER_VIEW = 'add_to_roster';
export const ROSTER_ACTION = 'value';
/** Block ids of the Add to roster form, one per roster column. */
export const ROSTER_FIELDS = {
  name: 'name',
  specialty: 'specialty',
  institution: 'institution',
  email: 'email',
  npi: 'npi',
  target: 'target',
  owner: 'owner',
  channel: 'channel',
} as const;

/** Adds the post's author to the roster from the card: the same columns as roster:import. */
export function rosterModal(mentionId: number, handle: string, name: string | null, owner: string): ModalView {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'plain_text', text: `Add @${handle.slice(0, 100)} to the HCP roster. The card and the follow-up update at once.` } },
    textInput(ROSTER_FIELDS.name, ROSTER_ACTION, 'Name', name ?? '', { max: 200 }),
    textInput(ROSTER_FIELDS.specialty, ROSTER_ACTION, 'Specialty', '', { max: 200, optional: true }),
    textInput(ROSTER_FIELDS.institution, ROSTER_ACTION, 'Institution', '', { max: 200, optional: true }),
    textInput(ROSTER_FIELDS.email, ROSTER_ACTION, 'Email', '', { max: 200, optional: true, hint: 'Used by Draft email as the recipient.' }),
    textInput(ROSTER_FIELDS.npi, ROSTER_ACTION, 'NPI', '', { max: 10, optional: true, hint: '10 digits' }),
    {
      type: 'input',
      block_id: ROSTER_FIELDS.target,
      optional: true,
      label: { type: 'plain_text', text: 'Target' },
      element: {
        type: 'checkboxes',
        action_id: ROSTER_ACTION,
        options: [{ text: { type: 'plain_text', text: 'Target HCP' }, value: 'yes' }],
      },
    },
    {
      type: 'input',
      block_id: ROSTER_FIELDS.owner,
      optional: true,
      label: { type: 'plain_text', text: 'Owner' },
      hint: { type: 'plain_text', text: 'The rep who handles this HCP: their alerts are assigned to them.' },
      element: { type: 'users_select', action_id: ROSTER_ACTION, initial_user: owner, placeholder: { type: 'plain_text', text: 'Choose the owner' } },
    },
    {
      type: 'input',
      block_id: ROSTER_FIELDS.channel,
      optional: true,
      label: { type: 'plain_text', text: 'Channel' },
      hint: { type: 'plain_text', text: 'Where this HCP\'s alerts go (default: the alert channel).' },
      element: { type: 'conversations_select', action_id: ROSTER_ACTION, placeholder: { type: 'plain_text', text: 'Choose a channel' }, filter: { include: ['public', 'private'], exclude_bot_users: true } },
    },
  ];
  return {
    type: 'modal',
    callback_id: ROSTER_VIEW,
    private_metadata: JSON.stringify({ mentionId }),
    title: { type: 'plain_text', text: 'Add to roster' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}
