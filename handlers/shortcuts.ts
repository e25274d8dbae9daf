import type { App, MessageShortcut } from '@slack/bolt';
import type { ServiceContext } from '../src/services/context';

export function registerShortcuts(app: App, ctx: ServiceContext): void {
  app.shortcut<MessageShortcut>('log_hcp_mention', async ({ ack, shortcut, respond }) => {
    await ack();
    ctx.logger.info({ user: shortcut.user.id }, 'log_hcp_mention shortcut');
    await respond({
      response_type: 'ephemeral',
      text: 'Logging a mention from a message is coming in the next release. Until then, ask your team to send it through the webhook.',
    });
  });
}
