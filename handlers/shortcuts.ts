import type { App, MessageShortcut } from '@slack/bolt';
import { logMentionModal } from '../blocks/log-mention-modal';
import { findStatusLinks, messageTextWithoutLinks, parseStatusUrl, previewFor, type SlackAttachment } from '../src/ingest/post-links';
import type { ServiceContext } from '../src/services/context';

/** "Log HCP mention" on any message: a modal prefilled from the message and its preview. */
export function registerShortcuts(app: App, ctx: ServiceContext): void {
  app.shortcut<MessageShortcut>('log_hcp_mention', async ({ ack, shortcut, client }) => {
    await ack();
    const message = shortcut.message as { text?: string; attachments?: SlackAttachment[] };
    const links = findStatusLinks(message.text);
    const fromAttachments = (message.attachments ?? [])
      .map((a) => parseStatusUrl(a.original_url ?? a.from_url ?? a.title_link ?? ''))
      .find((l) => l !== null);
    const link = links[0] ?? fromAttachments ?? null;
    const preview = link ? previewFor(link, message.attachments) : null;
    const prefill = {
      url: link?.url ?? '',
      handle: preview?.handle ?? link?.handle ?? '',
      name: preview?.name ?? '',
      text: preview?.text ?? messageTextWithoutLinks(message.text),
      product: '',
      fromPreview: Boolean(preview),
    };
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: logMentionModal(prefill, { channel: shortcut.channel.id, messageTs: shortcut.message_ts }) });
    } catch (err) {
      ctx.logger.error({ err }, 'could not open the Log HCP mention modal');
    }
  });
}
