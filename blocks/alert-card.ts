import type { KnownBlock, Button, StaticSelect, PlainTextOption, Overflow } from '@slack/types';
import { hcpNameOf, type AlertView } from '../src/domain/alert-view';
import { cardStage, planControls, type CardControl, type CardStage, type ControlPlan } from '../src/domain/card-state';
import { sentimentWord, SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { ALWAYS_PRIVATE, playbookSummary } from '../src/domain/playbook';
import { SNOOZE_CHOICES } from '../src/domain/rep-actions';
import { classificationSlot, featureControls, pvStatusLine } from './card-slots';
import { CUSTOM_SNOOZE } from './snooze-modal';
import { escapeMrkdwn, mrkdwnLink, quote, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { button, context, section } from './kit';

/**
 * The alert card (CONTRACT.md, "The alert card"): a pure function of the mention's current
 * state that shrinks as the work progresses. One status line on top; the whole playbook
 * only while nobody has acted, then one line; at most four visible controls (the next
 * step, Snooze, Change sentiment, and a ⋯ menu for the rare ones). Controls are found by
 * their visible text (a button's, a menu's placeholder, or an overflow option's); their
 * action ids are the contract with handlers/actions.ts.
 */
export const ACTION = {
  draftEmail: 'alert_draft_email',
  assignMe: 'alert_assign_me',
  reassign: 'alert_reassign',
  markDone: 'alert_mark_done',
  reopen: 'alert_reopen',
  snooze: 'alert_snooze',
  changeSentiment: 'alert_change_sentiment',
  /** The ⋯ menu: its option values are `<control id>:<mention id>`. */
  more: 'alert_more',
  addNote: 'alert_add_note',
  addToRoster: 'alert_add_to_roster',
  remindMe: 'alert_remind_me',
  /** Remind me beside a sphere-of-influence name: its value is `<mention id>:<handle>`. */
  sphereRemind: 'alert_sphere_remind',
} as const;

/** At most this many colleagues are offered, one Remind me each (the card stays short). */
export const SPHERE_SHOWN = 5;

/** Reads a sphere Remind me value back; null when it is not one (a forged or stale click). */
export function parseSphereRemindValue(value: string | undefined): { mentionId: number; handle: string } | null {
  const m = /^(\d+):(\S{1,200})$/.exec(value ?? '');
  return m ? { mentionId: Number(m[1]), handle: m[2]! } : null;
}

/** The action id a card control's button carries (features' own controls use their id). */
const ACTION_OF: Record<string, string> = {
  draft: ACTION.draftEmail,
  done: ACTION.markDone,
  assign: ACTION.assignMe,
  reassign: ACTION.reassign,
  reopen: ACTION.reopen,
  note: ACTION.addNote,
  roster: ACTION.addToRoster,
};
export const actionIdOfControl = (id: string): string => ACTION_OF[id] ?? id;

/** Reads an overflow option's value back: the control chosen and its mention. */
export function parseMoreValue(value: string | undefined): { control: string; mentionId: number } | null {
  const m = /^([a-z0-9_]+):(\d+)$/.exec(value ?? '');
  return m ? { control: m[1]!, mentionId: Number(m[2]) } : null;
}

const EMOJI: Record<Sentiment, string> = { positive: ':large_green_circle:', neutral: ':white_circle:', negative: ':red_circle:' };

export type CardRole = 'alert' | 'pv';

/** The mention id an alert card's control belongs to (its actions block is `alert:<id>`). */
export const mentionIdOfBlock = (blockId: string | undefined): number | null => {
  const m = /^alert:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
};

export interface AlertCard {
  text: string;
  blocks: KnownBlock[];
}

const authorLabel = (v: AlertView) => v.author.name ?? v.hcp?.name ?? `@${v.author.handle}`;

export function buildAlertCard(view: AlertView, role: CardRole = 'alert'): AlertCard {
  const stage = cardStage(view);
  const word = sentimentWord(view.sentiment.label);
  const name = escapeMrkdwn(authorLabel(view));
  const handle = escapeMrkdwn(view.author.handle);
  const blocks: KnownBlock[] = [];

  blocks.push(context([statusLine(view, stage)]));
  const pv = pvStatusLine(view);
  if (pv) blocks.push(context([pv]));

  if (role === 'pv') {
    blocks.push(section(`:rotating_light: *Possible adverse event* reported on social media. ${pvInstruction(view, true)}`));
  }

  const who = [`${EMOJI[view.sentiment.label]} *${word}* mention by *${name}* (@${handle})`];
  if (view.hcp?.isTarget) who.push('*Target HCP*');
  const profile = [view.hcp?.specialty, view.hcp?.institution].filter((x): x is string => Boolean(x)).map(escapeMrkdwn);
  if (view.hcp?.ownerSlackId) profile.push(`owner ${userRef(view.hcp.ownerSlackId)}`);
  if (!view.hcp) profile.push('_not in the roster_');
  blocks.push(section(who.join(' · ') + (profile.length ? `\n${profile.join(' · ')}` : '')));

  blocks.push(section(postQuote(view)));

  const slot = classificationSlot(view);
  const meta: string[] = [...slot.lines];
  const posted = `Posted ${slackDate(view.postedAt)} on ${escapeMrkdwn(sourceName(view.source))}`;
  meta.push(view.url ? `${posted} · ${mrkdwnLink(view.url, 'View post')}` : posted);
  if (view.product) meta.push(`Product: ${escapeMrkdwn(view.product)}`);
  if (view.reportedBy) meta.push(`Forwarded by ${userRef(view.reportedBy)}`);
  blocks.push(context(meta));
  if (view.tool) blocks.push(context([toolLine(view.tool)]));
  blocks.push(...slot.blocks);

  if (view.textFromReporter) {
    blocks.push(context([':information_source: No preview of the post was available: the text above is the rep\'s, not the post\'s own words.']));
  }

  if (view.adverseEvent.possible && role === 'alert') {
    blocks.push(section(`:warning: *Possible adverse event*: ${pvInstruction(view, false)}`));
  }
  if (view.adverseEvent.possible) {
    const c = view.adverseEvent.cues;
    const parts = [
      c.harm.length ? `harm ${list(c.harm)}` : '',
      c.product.length ? `treatment ${list(c.product)}` : '',
      c.patient.length ? `patient ${list(c.patient)}` : '',
      c.link.length ? `link ${list(c.link)}` : '',
    ].filter(Boolean);
    if (parts.length) blocks.push(context([`Adverse-event signals: ${parts.join('; ')}`]));
  }

  if (role === 'alert') {
    blocks.push(...adviceBlocks(view, stage));
    const history = historyLine(view);
    if (history) blocks.push(context([history]));
    if (stage !== 'done' && view.sentiment.label === 'negative' && view.sphere.length) blocks.push(...sphereBlocks(view));
    blocks.push(cardControls(view));
  }

  return { text: fallback(view, role), blocks: blocks.slice(0, LIMITS.messageBlocks) };
}

/**
 * The poster's colleagues, each with Remind me: a click sets the clicking rep a private
 * outreach reminder for that colleague (handlers/actions.ts). Block ids are unique per name.
 */
function sphereBlocks(view: AlertView): KnownBlock[] {
  const shown = view.sphere.slice(0, SPHERE_SHOWN);
  return [
    context([':busts_in_silhouette: Sphere of influence: reach them privately, never by a public reply.']),
    ...shown.map((s, i): KnownBlock => ({
      type: 'section',
      block_id: `alert_sphere:${view.mentionId}:${i}`,
      text: {
        type: 'mrkdwn',
        text: `${truncateEscaped(s.name ?? `@${s.handle}`, 200, escapeMrkdwn).text} (@${truncateEscaped(s.handle, 120, escapeMrkdwn).text}, ${truncateEscaped(s.why, 300, escapeMrkdwn).text})`,
      },
      accessory: {
        type: 'button',
        action_id: ACTION.sphereRemind,
        text: { type: 'plain_text', text: 'Remind me' },
        value: `${view.mentionId}:${s.handle}`,
      },
    })),
  ];
}

/**
 * The advice, in full while nobody has acted (the post's own advice first, then the
 * playbook), then one line. The public-reply warning is said exactly once either way.
 */
function adviceBlocks(view: AlertView, stage: CardStage): KnownBlock[] {
  const hcp = escapeMrkdwn(hcpNameOf(view));
  if (stage === 'new') {
    const bullets = [
      ...(view.advice ? [`*${view.advice.team ? `${escapeMrkdwn(view.advice.team)}: ` : ''}${escapeMrkdwn(view.advice.text)}*`] : []),
      ...view.actions.map(escapeMrkdwn),
    ].map((a) => `• ${a}`);
    return [
      section(`*Recommended private actions* for ${hcp}\n${bullets.join('\n')}`),
      context([`:lock: ${escapeMrkdwn(ALWAYS_PRIVATE)}`]),
    ];
  }
  if (stage === 'done') return [];
  const lead = view.advice ? `${escapeMrkdwn(view.advice.team ?? 'Next')}: ${escapeMrkdwn(view.advice.text)}` : escapeMrkdwn(playbookSummary(view.sentiment.label, hcpNameOf(view)));
  return [context([`:clipboard: *Playbook:* ${lead} Never reply in public.`])];
}

function historyLine(view: AlertView): string | null {
  const h = view.history;
  if (!h?.last) return null;
  const counts = SENTIMENTS.filter((s) => h.byStance[s] > 0).map((s) => `${h.byStance[s]} ${s}`);
  const link = h.last.link ? ` · ${mrkdwnLink(h.last.link, 'View last post')}` : '';
  return `:repeat: ${h.total} earlier mention${h.total === 1 ? '' : 's'} in 12 months (${counts.join(', ')}) · last ${slackDate(h.last.postedAt, '{date_short_pretty}')}${link}`;
}

/** What the listening tool said, kept apart from our own reading of the post. */
function toolLine(tool: NonNullable<AlertView['tool']>): string {
  const parts: string[] = [];
  if (tool.sentiment) parts.push(`sentiment “${escapeMrkdwn(tool.sentiment)}”`);
  if (tool.query) parts.push(`query “${escapeMrkdwn(tool.query)}”`);
  return `Listening tool: ${parts.join(' · ')}`;
}

function pvInstruction(view: AlertView, forPv: boolean): string {
  const by = view.adverseEvent.reportBy ? ` (by ${slackDate(view.adverseEvent.reportBy)})` : '';
  // The alert card says "never in public" once, in its advice; the PV card has no advice.
  return `report it to pharmacovigilance within one business day${by}, whatever the post's sentiment.${forPv ? ' Do not ask the author for details in public.' : ''}`;
}

function postQuote(view: AlertView): string {
  // Leave room for the quote markers (one per line) and the "read the whole post" link.
  const lines = view.text.split('\n').length;
  const room = LIMITS.sectionText - lines - 200;
  const { text, cut } = truncateEscaped(view.text, room, escapeMrkdwn);
  const quoted = quote(text);
  if (!cut) return quoted;
  return `${quoted}\n${view.url ? mrkdwnLink(view.url, 'Read the whole post') : '_(cut to fit Slack; the whole text is stored)_'}`;
}

/** The one line on top that says where the work stands. */
export function statusLine(view: AlertView, stage: CardStage = cardStage(view)): string {
  const s = view.status;
  const followUp = view.followUp && view.followUp.status !== 'done' && view.followUp.status !== 'cancelled' ? view.followUp : null;
  const due = followUp && followUp.status !== 'snoozed' ? `follow-up ${slackDate(followUp.dueAt, '{date_short_pretty}')}` : null;
  const assigned = (lead: boolean) => {
    if (!s.assignee) return lead ? 'Open · unassigned' : 'unassigned';
    const owner = view.hcp?.ownerSlackId === s.assignee && !s.firstActionAt ? ' (roster owner)' : '';
    return `${lead ? 'Assigned' : 'assigned'} to ${userRef(s.assignee)}${owner}`;
  };
  const drafted = s.emailDraftedBy ? `Email drafted by ${userRef(s.emailDraftedBy)}` : null;
  const parts: (string | null)[] = (() => {
    switch (stage) {
      case 'done':
        return [
          `:white_check_mark: Done by ${userRef(s.doneBy ?? 'someone')}${s.doneReason ? `: ${escapeMrkdwn(s.doneReason)}` : ''}${s.doneAt ? ` · ${slackDate(s.doneAt)}` : ''}`,
          drafted,
        ];
      case 'snoozed':
        return [`:zzz: Snoozed until ${slackDate(followUp!.dueAt, '{date_short_pretty} at {time}')}`, assigned(false), drafted];
      case 'reopened':
        return [`:arrows_counterclockwise: Reopened by ${userRef(s.reopenedBy ?? 'someone')}`, assigned(false), drafted, due];
      case 'drafted':
        return [`:email: ${drafted}`, assigned(false), due];
      case 'assigned':
        return [`:bust_in_silhouette: ${assigned(true)}`, due];
      case 'new':
        return [`:new: ${s.assignee ? `Open · ${assigned(false)}` : assigned(true)}`, due];
    }
  })();
  return parts.filter(Boolean).join(' · ');
}

/**
 * The card's controls for an alert, features included (a medical question's Refer to Medical
 * Information instead of Draft email, Report to PV): App Home lists an alert with these too.
 */
export const cardControls = (view: AlertView): KnownBlock => controlsBlock(view.mentionId, planControls(view, featureControls(view)));

/** A card's controls as one actions block (also used for an alert listed on App Home). */
export function controlsBlock(mentionId: number, plan: ControlPlan): KnownBlock {
  const value = String(mentionId);
  const elements: (Button | StaticSelect | Overflow)[] = [];
  if (plan.primary) elements.push(button(plan.primary.text, actionIdOfControl(plan.primary.id), value, 'primary'));
  for (const b of plan.buttons) elements.push(button(b.text, actionIdOfControl(b.id), value));
  if (plan.snooze) {
    const presets = SNOOZE_CHOICES.map((o) => option(o.label, `${o.value}:${value}`));
    elements.push(select('Snooze', ACTION.snooze, [...presets, option(CUSTOM_SNOOZE.label, `${CUSTOM_SNOOZE.value}:${value}`)]));
  }
  if (plan.changeSentiment) {
    elements.push(
      select(
        'Change sentiment',
        ACTION.changeSentiment,
        // All three, as the contract names them: the one shown is there to confirm it.
        SENTIMENTS.map((s) => option(sentimentWord(s), `${s}:${value}`)),
      ),
    );
  }
  if (plan.overflow.length === 1) elements.push(button(plan.overflow[0]!.text, actionIdOfControl(plan.overflow[0]!.id), value));
  else if (plan.overflow.length > 1) elements.push(overflow(plan.overflow, mentionId));
  return { type: 'actions', block_id: `alert:${mentionId}`, elements };
}

const overflow = (items: CardControl[], mentionId: number): Overflow => ({
  type: 'overflow',
  action_id: ACTION.more,
  options: items.map((c) => option(c.text, `${c.id}:${mentionId}`)),
});

const option = (text: string, value: string): PlainTextOption => ({
  text: { type: 'plain_text', text: truncate(text, LIMITS.optionText) },
  value: value.slice(0, LIMITS.optionValue),
});

const select = (placeholder: string, actionId: string, options: PlainTextOption[]): StaticSelect => ({
  type: 'static_select',
  placeholder: { type: 'plain_text', text: placeholder },
  action_id: actionId,
  options,
});

const list = (xs: string[]) => xs.slice(0, 4).map((x) => `“${escapeMrkdwn(x)}”`).join(', ');

const sourceName = (source: string) => ({ x: 'X', twitter: 'X', linkedin: 'LinkedIn', bluesky: 'Bluesky', threads: 'Threads' })[source] ?? source;

function fallback(view: AlertView, role: CardRole): string {
  const prefix = role === 'pv' || view.adverseEvent.possible ? 'Possible adverse event. ' : '';
  const head = `${prefix}${sentimentWord(view.sentiment.label)} mention by ${authorLabel(view)} (@${view.author.handle}): `;
  const { text } = truncateEscaped(view.text, 300, escapeMrkdwn);
  return `${escapeMrkdwn(head)}${text}`;
}
