import type { HomeView, KnownBlock } from '@slack/types';
import type { DeskAlert, TeamView } from '../src/domain/desk';
import type { FollowUpView } from '../src/domain/follow-up-view';
import { SENTIMENTS, sentimentWord } from '../src/domain/mention';
import { cardControls } from './alert-card';
import { pvStatusLine } from './card-slots';
import { escapeMrkdwn, postLink, slackDate, userRef } from './escape';
import { LIMITS, truncateEscaped } from './limits';
import { context, header, section } from './kit';
import { followUpItem } from './reminder';

/** How many of each list App Home shows (2 or 3 blocks per item; Slack allows 100 per view). */
export const DESK_ALERTS_SHOWN = 10;
export const DESK_FOLLOWUPS_SHOWN = 12;

export interface Desk {
  alerts: DeskAlert[];
  alertTotal: number;
  followUps: FollowUpView[];
  followUpTotal: number;
  /** Only for users listed in MANAGER_USER_IDS. */
  team: TeamView | null;
  now: Date;
}

const rep = (u: string | null) => (u ? userRef(u) : '_nobody_');

/** App Home as the rep's desk: my open alerts, my follow-ups, and for managers the team. */
export function deskView(d: Desk): HomeView {
  const blocks: KnownBlock[] = [header('HCP Pulse: your desk'), context('Respond privately, never on social media: the quicker, the better.')];

  blocks.push(section(`*My open alerts* (${d.alertTotal}), newest first`));
  if (d.alerts.length === 0) blocks.push(context('No open alerts assigned to you. :tada:'));
  for (const a of d.alerts.slice(0, DESK_ALERTS_SHOWN)) {
    const v = a.view;
    const name = escapeMrkdwn(v.author.name ?? v.hcp?.name ?? `@${v.author.handle}`);
    const excerpt = truncateEscaped(v.text.replace(/\s+/g, ' '), 160, escapeMrkdwn).text;
    const link = a.cardLink ? ` · ${postLink(a.cardLink)}` : '';
    const ae = v.adverseEvent.possible ? ' · :warning: *Possible adverse event*' : '';
    blocks.push(section(`*${sentimentWord(v.sentiment.label)}* · *${name}* (@${escapeMrkdwn(v.author.handle)}) · ${slackDate(a.receivedAt, '{date_short_pretty}')}${ae}${link}\n>${excerpt}`));
    // Where the alert stands with PV and Medical Information (e.g. "Referred to Medical
    // Information by @x"), in the card's own words.
    const handoffs = pvStatusLine(v);
    if (handoffs) blocks.push(context(handoffs));
    blocks.push(cardControls(v));
  }
  if (d.alertTotal > DESK_ALERTS_SHOWN) blocks.push(context(`…and ${d.alertTotal - DESK_ALERTS_SHOWN} older.`));

  const due = d.followUps.filter((f) => Date.parse(f.dueAt) <= d.now.getTime()).length;
  const overdue = d.followUps.filter((f) => Date.parse(f.dueAt) < d.now.getTime() - 86_400_000).length;
  blocks.push({ type: 'divider' }, section(`*My follow-ups* (${d.followUpTotal}): ${due} due, ${overdue} overdue, soonest first`));
  if (d.followUps.length === 0) blocks.push(context('No open follow-ups.'));
  for (const f of d.followUps.slice(0, DESK_FOLLOWUPS_SHOWN)) blocks.push(...followUpItem(f, d.now));
  if (d.followUpTotal > DESK_FOLLOWUPS_SHOWN) blocks.push(context(`…and ${d.followUpTotal - DESK_FOLLOWUPS_SHOWN} more.`));

  if (d.team) blocks.push({ type: 'divider' }, header('Team view'), ...teamBlocks(d.team));
  return { type: 'home', blocks: blocks.slice(0, LIMITS.viewBlocks) };
}

function teamBlocks(t: TeamView): KnownBlock[] {
  const list = (rows: { rep: string | null; count: number }[]) => (rows.length ? rows.map((r) => `${rep(r.rep)}: ${r.count}`).join(' · ') : 'none');
  const breaches = t.slaBreaches.length
    ? t.slaBreaches
        .slice(0, 10)
        .map((b) => `• ${escapeMrkdwn(b.author)}, received ${slackDate(b.receivedAt)}${b.cardLink ? ` · ${postLink(b.cardLink)}` : ''}`)
        .join('\n')
    : 'none';
  const week = t.week.rows.length
    ? t.week.rows.map((r) => `• ${escapeMrkdwn(r.product ?? 'no product')}: ${SENTIMENTS.map((s) => `${r.counts[s]} ${s}`).join(', ')}`).join('\n')
    : 'none';
  return [
    section(`*Open alerts by rep:* ${list(t.openByRep)}`),
    section(`*Overdue follow-ups:* ${list(t.overdueByRep)}`),
    section(`*Response-SLA breaches* (nobody acted in time):\n${breaches}`),
    section(`*This week's mentions* (since ${slackDate(t.week.since, '{date_short_pretty}')}), by product and stance:\n${week}`),
  ];
}
