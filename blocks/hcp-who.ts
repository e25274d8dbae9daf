import type { KnownBlock } from '@slack/types';
import type { HcpProfile } from '../src/domain/desk';
import { sentimentWord } from '../src/domain/mention';
import { escapeMrkdwn, mrkdwnLink, postLink, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { context } from './kit';

/** How many mentions `/hcp who` lists (two blocks each, under Slack's 50). */
export const WHO_SHOWN = 15;

/** `/hcp who <handle>`: the roster profile and the timeline of mentions, with links to their cards. */
export function whoBlocks(p: HcpProfile): KnownBlock[] {
  const handle = escapeMrkdwn(p.handle);
  const r = p.roster;
  const name = escapeMrkdwn(r?.name ?? p.authorName ?? `@${p.handle}`);
  const facts = r
    ? [
        r.isTarget ? '*Target HCP*' : 'Not a target',
        r.specialty ? escapeMrkdwn(r.specialty) : null,
        r.institution ? escapeMrkdwn(r.institution) : null,
        r.ownerSlackId ? `owner ${userRef(r.ownerSlackId)}` : 'no owner',
        r.channelId ? `alerts in <#${r.channelId}>` : null,
        r.email ? escapeMrkdwn(r.email) : null,
        r.npi ? `NPI ${escapeMrkdwn(r.npi)}` : null,
      ].filter(Boolean)
    : ['_Not in the roster_ (use *Add to roster* on one of the cards)'];
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`:bust_in_silhouette: *${name}* (@${handle})\n${facts.join(' · ')}`, LIMITS.sectionText) } },
  ];
  if (p.timeline.length === 0) {
    blocks.push(context('No mentions logged for this handle.'));
    return blocks;
  }
  blocks.push(context(`${p.total} mention${p.total === 1 ? '' : 's'}, newest first`));
  for (const t of p.timeline.slice(0, WHO_SHOWN)) {
    const excerpt = truncateEscaped(t.text.replace(/\s+/g, ' '), 160, escapeMrkdwn).text;
    const links = [t.cardLink ? postLink(t.cardLink) : null, t.url ? mrkdwnLink(t.url, 'View post') : null].filter(Boolean).join(' · ');
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`${slackDate(t.postedAt, '{date_short_pretty}')} · *${sentimentWord(t.sentiment)}* · ${t.status === 'done' ? 'done' : 'open'}${links ? ` · ${links}` : ''}\n>${excerpt}`, LIMITS.sectionText),
      },
    });
  }
  if (p.total > WHO_SHOWN) blocks.push(context(`…and ${p.total - WHO_SHOWN} older.`));
  return blocks;
}
