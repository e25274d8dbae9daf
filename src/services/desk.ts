import type { WebClient } from '@slack/web-api';
import type { Desk } from '../../blocks/home';
import { DESK_ALERTS_SHOWN, DESK_FOLLOWUPS_SHOWN } from '../../blocks/home';
import { whoBlocks, WHO_SHOWN } from '../../blocks/hcp-who';
import type { KnownBlock } from '@slack/types';
import { startOfWeek, type DeskAlert, type HcpProfile, type PostLink, type TeamView } from '../domain/desk';
import { SENTIMENTS, type Sentiment } from '../domain/mention';
import { linkKey, permalinksOf } from '../delivery/permalinks';
import { publishDeskView } from '../delivery/home';
import { countMentionsBy, mentionsByProductAndStance, openAlertsByRep, openAlertsOf, overdueFollowUpsByRep, responseSlaBreaches, timelineOf } from '../store/desk';
import { findHcp } from '../store/mentions';
import { listFollowUps } from './follow-ups';
import { loadAlertView } from './alert-view';
import type { ServiceContext } from './context';

/** Finds links to posted cards (chat.getPermalink); injected so delivery and handlers share it. */
export type CardLinks = (messages: { channel: string | null; ts: string | null }[]) => Promise<Map<string, string>>;
export const cardLinksVia = (slack: WebClient): CardLinks => (messages) => permalinksOf(slack, messages);

interface PlacedRow {
  alert_channel: string | null;
  alert_ts: string | null;
  rollup_channel: string | null;
  rollup_page_ts: string | null;
}
/** A post's card, else (folded in a burst) its roll-up thread line: what lists link to. */
const placeOf = (r: PlacedRow) =>
  r.alert_ts ? { channel: r.alert_channel, ts: r.alert_ts, inRollup: false } : { channel: r.rollup_channel, ts: r.rollup_page_ts, inRollup: true };
const linkOf = (linked: Map<string, string>, r: PlacedRow): PostLink | null => {
  const place = placeOf(r);
  const url = linked.get(linkKey(place.channel, place.ts));
  return url ? { url, inRollup: place.inRollup } : null;
};

/** Everything a user's App Home shows: their alerts and follow-ups, and the team for managers. */
export async function loadDesk(ctx: ServiceContext, user: string, links: CardLinks): Promise<Desk> {
  const db = ctx.db.kysely;
  const now = ctx.now();
  const { rows, total } = await openAlertsOf(db, user, DESK_ALERTS_SHOWN);
  const followUps = await listFollowUps(ctx, user, DESK_FOLLOWUPS_SHOWN);
  const team = ctx.config.managerUserIds.includes(user) ? await loadTeam(ctx, now) : null;
  const linked = await links([...rows, ...(team?.slaBreaches.map((b) => b.ref) ?? [])].map(placeOf));
  const alerts: DeskAlert[] = [];
  for (const r of rows) {
    // The card's own view (a handful of indexed reads each, for at most DESK_ALERTS_SHOWN).
    const view = await loadAlertView(db, ctx.config, r.id);
    if (view) alerts.push({ receivedAt: r.received_at, cardLink: linkOf(linked, r), view });
  }
  return {
    alerts,
    alertTotal: total,
    followUps: followUps.items,
    followUpTotal: followUps.total,
    team: team ? { ...team.view, slaBreaches: team.slaBreaches.map((b) => ({ ...b.item, cardLink: linkOf(linked, b.ref) })) } : null,
    now,
  };
}

async function loadTeam(ctx: ServiceContext, now: Date) {
  const db = ctx.db.kysely;
  const since = startOfWeek(now);
  const byProduct = new Map<string | null, Record<Sentiment, number>>();
  for (const r of await mentionsByProductAndStance(db, since)) {
    const counts = byProduct.get(r.product) ?? { positive: 0, neutral: 0, negative: 0 };
    if ((SENTIMENTS as readonly string[]).includes(r.sentiment)) counts[r.sentiment as Sentiment] += Number(r.n);
    byProduct.set(r.product, counts);
  }
  const breaches = await responseSlaBreaches(db, new Date(now.getTime() - ctx.config.responseSlaHours * 3_600_000), 10);
  const view: Omit<TeamView, 'slaBreaches'> = {
    openByRep: (await openAlertsByRep(db)).map((r) => ({ rep: r.assignee, count: Number(r.n) })),
    overdueByRep: (await overdueFollowUpsByRep(db, now)).map((r) => ({ rep: r.rep, count: Number(r.n) })),
    week: { since: since.toISOString(), rows: [...byProduct].map(([product, counts]) => ({ product, counts })) },
  };
  return {
    view,
    slaBreaches: breaches.map((b) => ({
      ref: { alert_channel: b.alert_channel, alert_ts: b.alert_ts, rollup_channel: b.rollup_channel, rollup_page_ts: b.rollup_page_ts },
      item: { mentionId: b.id, author: b.author_name ?? `@${b.author_handle}`, receivedAt: b.received_at },
    })),
  };
}

/** Publishes a user's App Home; best-effort, as the Home is refreshed on every visit too. */
export function publishDesk(ctx: ServiceContext, client: WebClient, user: string): Promise<void> {
  return publishDeskView(client, ctx.logger, user, () => loadDesk(ctx, user, cardLinksVia(client)));
}

/** `/hcp who <handle>`: the roster profile and the timeline of mentions, linked to their cards. */
export async function hcpProfile(ctx: ServiceContext, handle: string, links: CardLinks): Promise<HcpProfile> {
  const db = ctx.db.kysely;
  const h = handle.replace(/^@+/, '').toLowerCase();
  const hcp = await findHcp(db, h);
  const rows = await timelineOf(db, h, WHO_SHOWN + 1);
  const total = rows.length > WHO_SHOWN ? await countMentionsBy(db, h) : rows.length;
  const linked = await links(rows.slice(0, WHO_SHOWN).map(placeOf));
  const authorName = rows.find((r) => r.author_name)?.author_name ?? null;
  return {
    handle: h,
    roster: hcp
      ? {
          name: hcp.name,
          specialty: hcp.specialty,
          institution: hcp.institution,
          email: hcp.email,
          npi: hcp.npi,
          isTarget: hcp.target === 1,
          ownerSlackId: hcp.owner_slack_id,
          channelId: hcp.channel_id,
        }
      : null,
    authorName,
    timeline: rows.slice(0, WHO_SHOWN).map((r) => ({
      mentionId: r.id,
      postedAt: r.posted_at,
      sentiment: r.sentiment as Sentiment,
      text: r.text,
      status: r.status,
      url: r.url,
      cardLink: linkOf(linked, r),
    })),
    total,
  };
}

export const whoAnswer = (p: HcpProfile): { text: string; blocks: KnownBlock[] } => ({
  text: `${p.roster?.name ?? p.authorName ?? `@${p.handle}`}: ${p.total} mention${p.total === 1 ? '' : 's'}`.replace(/[<>&]/g, ''),
  blocks: whoBlocks(p),
});

