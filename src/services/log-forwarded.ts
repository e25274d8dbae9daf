import type { Channel, NewMention } from '../domain/mention';
import type { PostPreview } from '../ingest/post-links';
import { queueAlertCard, queueIntakeReply } from '../store/outbox';
import { RANK } from '../store/outbox-keys';
import { findMentionByIdentity } from '../store/mentions';
import type { ServiceContext } from './context';
import { logMentions, type LoggedMention } from './log-mentions';
import { mutate, replan } from './card-actions';

/**
 * Posts that reps forward inside Slack (intake channel, message shortcut, /hcp log) take
 * the same path as webhook mentions: same identity, same deduplication, same card.
 */
export interface ForwardedPost {
  source: string;
  id: string;
  url: string | null;
  handle: string;
  name: string | null;
  text: string;
  textFromReporter: boolean;
  postedAt: string | null;
  product: string | null;
  reportedBy: string;
  via: Channel;
}

export async function logForwarded(
  ctx: ServiceContext,
  post: ForwardedPost,
  reply?: { channel: string; threadTs: string },
): Promise<LoggedMention> {
  const now = ctx.now();
  const mention: NewMention = {
    source: post.source,
    externalId: post.id,
    url: post.url,
    authorHandle: post.handle,
    authorName: post.name,
    text: post.text,
    postedAt: post.postedAt ?? now.toISOString(),
    product: post.product,
    via: post.via,
    reportedBy: post.reportedBy,
    textFromReporter: post.textFromReporter,
  };
  const [logged] = await logMentions(ctx, [mention], {
    onLogged: async (trx, l, at) => {
      if (!reply) return;
      await queueIntakeReply(trx, { mentionId: l.mentionId, channel: reply.channel, threadTs: reply.threadTs, duplicate: l.duplicate }, at);
    },
  });
  return logged!;
}

/**
 * Slack's preview of a post arrived after the mention was logged from the rep's words:
 * the mention takes the post's own text and author, is classified again, and its card is
 * updated. A mention that already has the post's text is left alone.
 */
export async function completeFromPreview(ctx: ServiceContext, source: string, id: string, preview: PostPreview, actor: string): Promise<boolean> {
  const existing = await findMentionByIdentity(ctx.db.kysely, source, id);
  if (!existing || existing.text_from_reporter !== 1) return false;
  // Classified before the transaction (in a worker thread); a mention's product never changes.
  const c = await ctx.classifier.classify(preview.text, existing.product);
  let changed = false;
  await mutate(ctx, existing.id, actor, 'mention.completed_from_preview', (row) => {
    if (row.text_from_reporter !== 1) return { patch: {} };
    changed = true;
    return {
      patch: {
        text: preview.text,
        text_from_reporter: 0,
        author_handle: preview.handle.toLowerCase(),
        author_name: preview.name ?? row.author_name,
        posted_at: preview.postedAt ?? row.posted_at,
        ...c,
      },
      sideEffects: async (trx, m, now) => {
        if (c.adverse_event === 1 && ctx.config.channels.pv) {
          await queueAlertCard(trx, { mentionId: m.id, channel: ctx.config.channels.pv, role: 'pv', rank: RANK.adverseEvent }, now);
        }
        return m.sentiment !== row.sentiment ? replan(ctx, trx, m, now) : {};
      },
    };
  });
  return changed;
}
