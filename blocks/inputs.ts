import type { KnownBlock } from '@slack/types';

/** A plain-text input block, as both modals use it (Slack caps max_length at 3,000). */
export function textInput(
  blockId: string,
  actionId: string,
  label: string,
  value: string,
  opts: { max: number; optional?: boolean; multiline?: boolean; hint?: string },
): KnownBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: { type: 'plain_text', text: label.slice(0, 2000) },
    ...(opts.hint ? { hint: { type: 'plain_text', text: opts.hint } } : {}),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      max_length: opts.max,
      multiline: opts.multiline ?? false,
      ...(value ? { initial_value: value.slice(0, opts.max) } : {}),
    },
  };
}
