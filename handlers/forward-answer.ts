import type { WebClient } from '@slack/web-api';
import type { LoggedMention } from '../src/services/log-mentions';
import type { ServiceContext } from '../src/services/context';
import { findMention } from '../src/store/mentions';

/**
 * What a rep who logged a post by hand is told: where the card will appear, or, for a post
 * someone already logged, a link to its existing card.
 */
export async function forwardAnswer(ctx: ServiceContext, client: WebClient, logged: LoggedMention): Promise<string> {
  const m = await findMention(ctx.db.kysely, logged.mentionId);
  const channel = m?.alert_channel ?? ctx.config.channels.alert;
  if (!logged.duplicate) return `Logged. The alert card is on its way to <#${channel}>.`;
  if (m?.alert_channel && m.alert_ts) {
    try {
      const { permalink } = await client.chat.getPermalink({ channel: m.alert_channel, message_ts: m.alert_ts });
      return `This post was already logged: see its <${String(permalink)}|alert card>.`;
    } catch (err) {
      ctx.logger.warn({ err }, 'could not get the alert card\'s permalink');
    }
  }
  return `This post was already logged: its alert card is in <#${channel}>.`;
}
