import type { App } from '@slack/bolt';
import { forwardFormSchema } from '../src/ingest/forward-form';
import { parseStatusUrl, unescapeSlack } from '../src/ingest/post-links';
import { logForwarded } from '../src/services/log-forwarded';
import type { ServiceContext } from '../src/services/context';
import { forwardAnswer } from './forward-answer';
import { FOLLOWUPS_SHOWN, followUpList } from '../blocks/reminder';
import { listFollowUps } from '../src/services/follow-ups';
import { cardLinksVia, hcpProfile, whoAnswer } from '../src/services/desk';
import { handleSchema } from '../src/domain/mention';

export const HELP_TEXT = [
  '*HCP Pulse* posts an alert card when a healthcare professional mentions our product on social media.',
  '• Respond *privately* (email or text), never on social media: the card lists the playbook\'s next steps.',
  '• A *possible adverse event* must be reported to pharmacovigilance within one business day.',
  '',
  '*Commands*',
  '• `/hcp log <post-url> <text>`: log an X/Twitter post from its link and its pasted text.',
  '• `/hcp followups`: your open follow-ups, soonest first.',
  '• `/hcp who <handle>`: an HCP\'s roster profile and their mentions, with links to the cards.',
  '• `/hcp help`: this message.',
  '',
  '*Other ways to forward a post*',
  '• Drop its link in the intake channel: the bot logs it and answers in the thread.',
  '• On any message with the post: *More actions* (⋯) → *Log HCP mention*.',
].join('\n');

const LOG_USAGE = 'Usage: `/hcp log <post-url> <text>`, e.g. `/hcp log https://x.com/drjane/status/1790000000000000001 Switched two patients to Zentiva…`';

export function registerCommands(app: App, ctx: ServiceContext): void {
  app.command('/hcp', async ({ ack, command, client }) => {
    const text = command.text.trim();
    const [sub = '', ...rest] = text.split(/\s+/);
    ctx.logger.info({ user: command.user_id, sub }, '/hcp');
    switch (sub.toLowerCase()) {
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', text: HELP_TEXT });
        return;
      case 'log': {
        const url = unescapeSlack((rest[0] ?? '').replace(/^<|>$/g, '').split('|')[0]!);
        const postText = text.slice(text.indexOf(rest[0] ?? '') + (rest[0]?.length ?? 0)).trim();
        const link = parseStatusUrl(url);
        if (!link) {
          await ack({ response_type: 'ephemeral', text: `That is not an X/Twitter post link. ${LOG_USAGE}\nFor other sites, use *Log HCP mention* on a message.` });
          return;
        }
        const form = forwardFormSchema.safeParse({ url: link.url, handle: link.handle, text: postText });
        if (!form.success) {
          await ack({ response_type: 'ephemeral', text: `${form.error.issues[0]!.message} ${LOG_USAGE}` });
          return;
        }
        try {
          const logged = await logForwarded(ctx, {
            source: 'x',
            id: link.id,
            url: link.url,
            handle: link.handle,
            name: null,
            text: form.data.text,
            textFromReporter: false,
            postedAt: null,
            product: null,
            reportedBy: command.user_id,
            via: 'command',
          });
          await ack({ response_type: 'ephemeral', text: await forwardAnswer(ctx, client, logged) });
        } catch (err) {
          ctx.logger.error({ err }, '/hcp log failed');
          await ack({ response_type: 'ephemeral', text: 'Sorry, I could not log that post. Please try again in a moment.' });
        }
        return;
      }
      case 'who': {
        const handle = handleSchema.safeParse((rest[0] ?? '').replace(/^<|>$/g, ''));
        if (!rest[0] || !handle.success) {
          await ack({ response_type: 'ephemeral', text: 'Usage: `/hcp who <handle>`, e.g. `/hcp who @drjane`.' });
          return;
        }
        const profile = await hcpProfile(ctx, handle.data, cardLinksVia(client));
        await ack({ response_type: 'ephemeral', ...whoAnswer(profile) });
        return;
      }
      case 'followups': {
        const { items, total } = await listFollowUps(ctx, command.user_id, FOLLOWUPS_SHOWN);
        await ack({ response_type: 'ephemeral', text: `You have ${total} open follow-up${total === 1 ? '' : 's'}.`, blocks: followUpList(items, total, ctx.now(), FOLLOWUPS_SHOWN) });
        return;
      }
      default:
        await ack({ response_type: 'ephemeral', text: `I don't know \`/hcp ${sub.replace(/[<>&`]/g, '')}\`.\n\n${HELP_TEXT}` });
    }
  });
}
