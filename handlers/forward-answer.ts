import type { WebClient } from '@slack/web-api';
import type { LoggedMention } from '../src/services/log-mentions';
import type { ServiceContext } from '../src/services/context';

/**
 * What a rep who logged a post by hand is told: where the card will appear, or, for a post
 * someone already logged, a link to its existing card.
 */
export async function forwardAnswer(ctx: ServiceContext, client: WebClient, logged: LoggedMention): Promise<string> {
  // logMentions says where an already-logged post's card is; a new card is on its way.
  const channel = logged.alert?.channel ?? ctx.config.channels.alert;
  if (!logged.duplicate) return `Logged. The alert card is on its way to <#${channel}>.`;
  if (logged.alert) {
    try {
      const { permalink } = await client.chat.getPermalink({ channel: logged.alert.channel, message_ts: logged.alert.ts });
      return `This post was already logged: see its <${String(permalink)}|alert card>.`;
    } catch (err) {
      ctx.logger.warn({ err }, 'could not get the alert card\'s permalink');
    }
  }
  return `This post was already logged: its alert card is in <#${channel}>.`;
}
