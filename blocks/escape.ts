/**
 * Slack treats &, < and > as control characters in mrkdwn and in a message's fallback text:
 * unescaped, user text could ping <!channel> or disguise a link. Every user-supplied string
 * that reaches a mrkdwn field goes through `mrkdwn()`; `&` first, so nothing is escaped twice.
 */
export const escapeMrkdwn = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A link whose label is user text: the URL must be http(s) and carry no `|` or `>`. */
export function mrkdwnLink(url: string, label: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeMrkdwn(label);
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C').replace(/ /g, '%20');
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** A link to where a post is in Slack: its card, or (folded in a burst) its line in the roll-up's thread. */
export const postLink = (l: { url: string; inRollup: boolean }): string => mrkdwnLink(l.url, l.inRollup ? 'In roll-up' : 'Open card');

/** Quotes text as a mrkdwn block quote, one `>` per line (after escaping the text itself). */
export const quote = (escaped: string): string =>
  escaped
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');

/** A date Slack renders in the reader's own time zone, with a plain fallback. */
export function slackDate(iso: string, format = '{date_short_pretty} at {time}'): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${seconds}^${format}|${fallback}>`;
}

export const userRef = (slackUserId: string): string => (/^[UW][A-Z0-9]+$/.test(slackUserId) ? `<@${slackUserId}>` : escapeMrkdwn(slackUserId));
