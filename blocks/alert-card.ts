import type { KnownBlock, Button, StaticSelect, PlainTextOption, UsersSelect } from '@slack/types';
import type { AlertView } from '../src/domain/alert-view';
import { sentimentWord, SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { ALWAYS_PRIVATE } from '../src/domain/playbook';
import { SNOOZE_CHOICES } from '../src/domain/rep-actions';
import { escapeMrkdwn, mrkdwnLink, quote, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { repCardPvLine } from './pv-case';
import { repCardMedicalLines } from './medical-referral';

/**
 * The alert card (CONTRACT.md, "The alert card"): a pure function of the mention's current
 * state. The controls are found by their visible text, and their action ids are the
 * contract with handlers/actions.ts.
 */
export const ACTION = {
  draftEmail: 'alert_draft_email',
  assignMe: 'alert_assign_me',
  reassign: 'alert_reassign',
  markDone: 'alert_mark_done',
  reopen: 'alert_reopen',
  snooze: 'alert_snooze',
  changeSentiment: 'alert_change_sentiment',
  reportToPv: 'alert_report_to_pv',
  referToMedical: 'alert_refer_to_medical',
} as const;


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
  const word = sentimentWord(view.sentiment.label);
  const name = escapeMrkdwn(authorLabel(view));
  const handle = escapeMrkdwn(view.author.handle);
  const blocks: KnownBlock[] = [];

  if (role === 'pv') {
    blocks.push(section(`:rotating_light: *Possible adverse event* reported on social media. ${pvInstruction(view)}`));
  }

  const who = [`${EMOJI[view.sentiment.label]} *${word}* mention by *${name}* (@${handle})`];
  if (view.hcp?.isTarget) who.push('*Target HCP*');
  const profile = [view.hcp?.specialty, view.hcp?.institution].filter((x): x is string => Boolean(x)).map(escapeMrkdwn);
  blocks.push(section(who.join(' · ') + (profile.length ? `\n${profile.join(', ')}` : '')));

  blocks.push(section(postQuote(view)));

  const meta: string[] = [];
  meta.push(
    view.sentiment.cues.length
      ? `Why *${word}*: ${view.sentiment.cues.map((c) => `“${escapeMrkdwn(c)}”`).join(', ')} (score ${view.sentiment.score.toFixed(2)})`
      : `Why *${word}*: no clear positive or negative wording (score ${view.sentiment.score.toFixed(2)})`,
  );
  const posted = `Posted ${slackDate(view.postedAt)} on ${escapeMrkdwn(sourceName(view.source))}`;
  meta.push(view.url ? `${posted} · ${mrkdwnLink(view.url, 'View post')}` : posted);
  if (view.product) meta.push(`Product: ${escapeMrkdwn(view.product)}`);
  if (view.reportedBy) meta.push(`Forwarded by ${userRef(view.reportedBy)}`);
  blocks.push(context(meta));
  if (view.tool) blocks.push(context([toolLine(view.tool)]));

  if (view.textFromReporter) {
    blocks.push(context([':information_source: No preview of the post was available: the text above is the rep\'s, not the post\'s own words.']));
  }

  if (view.adverseEvent.possible && role === 'alert') {
    blocks.push(section(`:warning: *Possible adverse event*: ${pvInstruction(view)}`));
  }
  if (view.adverseEvent.possible) {
    const c = view.adverseEvent.cues;
    const parts = [
      c.harm.length ? `harm ${list(c.harm)}` : '',
      c.product.length ? `treatment ${list(c.product)}` : '',
      c.patient.length ? `patient ${list(c.patient)}` : '',
      c.link.length ? `link ${list(c.link)}` : '',
    ].filter(Boolean);
    blocks.push(context([`Adverse-event signals: ${parts.join('; ')}`]));
  }

  if (role === 'alert') {
    const actions = view.actions.map((a) => `• ${escapeMrkdwn(a)}`).join('\n');
    blocks.push(section(truncate(`*Recommended private actions* (never reply in public)\n${actions}`, LIMITS.sectionText)));
    const notes = [escapeMrkdwn(ALWAYS_PRIVATE)];
    if (view.sentiment.label === 'negative' && view.sphere.length) {
      notes.push(
        `Sphere of influence: ${view.sphere
          .map((s) => `${escapeMrkdwn(s.name ?? `@${s.handle}`)} (@${escapeMrkdwn(s.handle)}, ${escapeMrkdwn(s.why)})`)
          .join(', ')}`,
      );
    }
    blocks.push(context(notes));
  }

  // PV and Medical Information: their own pieces of the card.
  if (role === 'alert' && view.pv) blocks.push(context([repCardPvLine(view.pv)]));
  if (role === 'alert' && view.medical) blocks.push(section(repCardMedicalLines(view.medical.question, view.medical.referral, view.medical.channelConfigured)));

  const statusLine = status(view);
  if (statusLine) blocks.push(context([statusLine]));

  if (role === 'alert') blocks.push(controls(view));

  return { text: fallback(view, role), blocks };
}

/** What the listening tool said, kept apart from our own reading of the post. */
function toolLine(tool: NonNullable<AlertView['tool']>): string {
  const parts: string[] = [];
  if (tool.sentiment) parts.push(`sentiment “${escapeMrkdwn(tool.sentiment)}”`);
  if (tool.query) parts.push(`query “${escapeMrkdwn(tool.query)}”`);
  return `Listening tool: ${parts.join(' · ')}`;
}

function pvInstruction(view: AlertView): string {
  const by = view.adverseEvent.reportBy ? ` (by ${slackDate(view.adverseEvent.reportBy)})` : '';
  return `report it to pharmacovigilance within one business day${by}, whatever the post's sentiment. Do not ask the author for details in public.`;
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

function status(view: AlertView): string | null {
  const s = view.status;
  const parts: string[] = [];
  if (s.state === 'done') {
    parts.push(`:white_check_mark: Done by ${userRef(s.doneBy ?? 'someone')}${s.doneAt ? ` ${slackDate(s.doneAt)}` : ''}${s.doneReason ? ` (${escapeMrkdwn(s.doneReason)})` : ''}`);
  } else {
    parts.push(s.assignee ? `Assigned to ${userRef(s.assignee)}` : 'Open · unassigned');
  }
  if (s.emailDraftedBy) parts.push(`Email drafted by ${userRef(s.emailDraftedBy)}`);
  if (view.followUp && view.followUp.status !== 'done') {
    const label = view.followUp.status === 'snoozed' ? 'Snoozed until' : 'Follow-up due';
    parts.push(`:calendar: ${label} ${slackDate(view.followUp.dueAt, '{date_short_pretty}')}`);
  }
  return parts.join(' · ');
}

function controls(view: AlertView): KnownBlock {
  const value = String(view.mentionId);
  const elements: (Button | StaticSelect | UsersSelect)[] = [];
  if (view.status.state === 'open') {
    // A medical question is Medical Information's to answer: the rep refers it instead of writing.
    if (view.medical) elements.push(button('Refer to Medical Information', ACTION.referToMedical, value, 'primary'));
    else elements.push(button('Draft email', ACTION.draftEmail, value, 'primary'));
    elements.push(button('Assign to me', ACTION.assignMe, value));
    if (view.status.assignee) {
      elements.push({ type: 'users_select', action_id: ACTION.reassign, placeholder: { type: 'plain_text', text: 'Reassign to…' } });
    }
    elements.push(button('Mark done', ACTION.markDone, value));
    elements.push(select('Snooze', ACTION.snooze, SNOOZE_CHOICES.map((o) => option(o.label, `${o.value}:${value}`))));
    elements.push(
      select(
        'Change sentiment',
        ACTION.changeSentiment,
        SENTIMENTS.filter((s) => s !== view.sentiment.label).map((s) => option(sentimentWord(s), `${s}:${value}`)),
      ),
    );
  } else {
    elements.push(button('Reopen', ACTION.reopen, value));
  }
  // Any card can go to PV: for a post the detector missed.
  if (!view.pv) elements.push(button('Report to PV', ACTION.reportToPv, value, view.adverseEvent.possible ? 'danger' : undefined));
  return { type: 'actions', block_id: `alert:${view.mentionId}`, elements };
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } });

const context = (texts: string[]): KnownBlock => ({
  type: 'context',
  elements: texts.slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })),
});

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
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
