import type { App, Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import { findStatusLinks, messageTextWithoutLinks, previewFor, type SlackAttachment, type StatusLink } from '../src/ingest/post-links';
import { completeFromPreview, logForwarded } from '../src/services/log-forwarded';
import type { ServiceContext } from '../src/services/context';
import { publishHome } from '../src/services/follow-ups';
import { slackEventLedger } from '../src/services/slack-events';

const MAX_LINKS_PER_MESSAGE = 5;

interface MessageLike {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  attachments?: SlackAttachment[];
  thread_ts?: string;
}

/**
 * The intake channel: a rep drops a post's link, the bot logs it and answers in the thread.
 * Bolt acks events before listeners run, so the 3-second window never depends on our work.
 */
export function registerEvents(app: App, ctx: ServiceContext): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(ctx, client, event.user);
  });

  app.event('message', async ({ event, body }) => {
    const intake = ctx.config.channels.intake;
    const e = event as unknown as MessageLike & { channel?: string; message?: MessageLike; previous_message?: MessageLike };
    if (!intake || e.channel !== intake) return;

    if (e.subtype === 'message_changed') {
      const m = e.message;
      if (!m?.ts || isBot(m)) return;
      await handleMessage(ctx, intake, m, (body as { event_id?: string }).event_id, true);
      return;
    }
    if (isBot(e) || (e.subtype && e.subtype !== 'file_share' && e.subtype !== 'thread_broadcast')) return;
    await handleMessage(ctx, intake, e, (body as { event_id?: string }).event_id, false);
  });
}

const isBot = (m: MessageLike) => Boolean(m.bot_id) || m.subtype === 'bot_message';

async function handleMessage(ctx: ServiceContext, channel: string, m: MessageLike, eventId: string | undefined, changed: boolean): Promise<void> {
  const links = findStatusLinks(m.text).slice(0, MAX_LINKS_PER_MESSAGE);
  if (links.length === 0 || !m.ts) return;
  const reporter = m.user ?? 'unknown';
  for (const link of links) {
    try {
      const preview = previewFor(link, m.attachments);
      if (changed && preview) {
        // The preview came after the message: complete the mention logged from the rep's words.
        if (await completeFromPreview(ctx, 'x', link.id, preview, reporter)) continue;
      }
      const logged = await logForwarded(ctx, toPost(link, preview, m, reporter), { channel, threadTs: m.thread_ts ?? m.ts });
      ctx.logger.info({ eventId, mentionId: logged.mentionId, duplicate: logged.duplicate, via: 'intake' }, 'forwarded post logged');
    } catch (err) {
      ctx.logger.error({ err, eventId, postId: link.id }, 'could not log a forwarded post; the rep can use the message shortcut');
    }
  }
}

function toPost(link: StatusLink, preview: ReturnType<typeof previewFor>, m: MessageLike, reporter: string) {
  const own = messageTextWithoutLinks(m.text);
  return {
    source: 'x',
    id: link.id,
    url: link.url,
    handle: preview?.handle ?? link.handle,
    name: preview?.name ?? null,
    text: preview?.text ?? (own || '(shared without a preview or a comment: open the post)'),
    textFromReporter: !preview,
    postedAt: preview?.postedAt ?? null,
    product: null,
    reportedBy: reporter,
    via: 'intake' as const,
  };
}

/** Drops Slack's repeated deliveries of an event (same event_id) that was already handled. */
export function dedupeEvents(ctx: ServiceContext): Middleware<AnyMiddlewareArgs> {
  const ledger = slackEventLedger(ctx);
  return async ({ body, next }) => {
    const eventId = (body as { type?: string; event_id?: string }).type === 'event_callback' ? (body as { event_id?: string }).event_id : undefined;
    if (!eventId) return next();
    if (await ledger.seen(eventId)) {
      ctx.logger.info({ eventId }, 'dropped a repeated delivery of a Slack event');
      return;
    }
    await next();
    await ledger.handled(eventId);
  };
}
