import type { App } from '@slack/bolt';
import type { ServiceContext } from '../src/services/context';

export const HELP_TEXT = [
  '*HCP Pulse* posts an alert card when a healthcare professional mentions our product on social media.',
  '• Respond *privately* (email or text), never on social media: the card lists the playbook\'s next steps.',
  '• A *possible adverse event* must be reported to pharmacovigilance within one business day.',
  '• `/hcp help`: this message.',
  '• `/hcp followups` and `/hcp log <post-url> <text>`: coming in the next release.',
].join('\n');

export function registerCommands(app: App, ctx: ServiceContext): void {
  app.command('/hcp', async ({ ack, command }) => {
    const sub = command.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    ctx.logger.info({ user: command.user_id, sub }, '/hcp');
    if (sub === '' || sub === 'help') {
      await ack({ response_type: 'ephemeral', text: HELP_TEXT });
      return;
    }
    if (sub === 'followups' || sub === 'log') {
      await ack({ response_type: 'ephemeral', text: `\`/hcp ${sub}\` is coming in the next release.\n\n${HELP_TEXT}` });
      return;
    }
    await ack({ response_type: 'ephemeral', text: `I don't know \`/hcp ${sub.replace(/[<>&`]/g, '')}\`.\n\n${HELP_TEXT}` });
  });
}
