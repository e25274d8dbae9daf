import type { App, BlockAction } from '@slack/bolt';
import { ACTION } from '../blocks/alert-card';
import type { ServiceContext } from '../src/services/context';

/**
 * Controls on the alert card. This release posts the card; the rep workflow behind the
 * controls (draft email, assign, snooze, done, change sentiment) ships next, so each click is
 * acknowledged at once and answered honestly, in a message only the clicker sees.
 */
const LABEL: Record<string, string> = {
  [ACTION.draftEmail]: 'Draft email',
  [ACTION.assignMe]: 'Assign to me',
  [ACTION.markDone]: 'Mark done',
  [ACTION.reopen]: 'Reopen',
  [ACTION.snooze]: 'Snooze',
  [ACTION.changeSentiment]: 'Change sentiment',
};

export function registerActions(app: App, ctx: ServiceContext): void {
  app.action<BlockAction>(/^alert_/, async ({ ack, body, action, client }) => {
    await ack();
    const label = LABEL[action.action_id] ?? action.action_id;
    ctx.logger.info({ action: action.action_id, user: body.user.id }, 'card control clicked');
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!channel) return;
    await client.chat.postEphemeral({
      channel,
      user: body.user.id,
      text: `*${label}* is coming soon: this release posts alerts; the rep workflow on the card ships next. For now, follow the recommended private actions on the card.`,
    });
  });
}
