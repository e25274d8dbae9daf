import type { WebClient } from '@slack/web-api';

/**
 * Links to messages the bot posted (alert cards), for lists that point at them (App Home,
 * /hcp who). A message Slack cannot link (deleted, channel archived) is simply left out.
 */
export async function permalinksOf(slack: WebClient, messages: { channel: string | null; ts: string | null }[]): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  await Promise.all(
    messages.map(async ({ channel, ts }) => {
      if (!channel || !ts || links.has(`${channel}:${ts}`)) return;
      try {
        const res = await slack.chat.getPermalink({ channel, message_ts: ts });
        if (res.permalink) links.set(`${channel}:${ts}`, String(res.permalink));
      } catch {
        // Listed without its link.
      }
    }),
  );
  return links;
}

export const linkKey = (channel: string | null, ts: string | null): string => `${channel}:${ts}`;
