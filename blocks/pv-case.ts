import type { Button, KnownBlock, ModalView } from '@slack/types';
import { NOT_AE_REASON_MAX, SAFETY_CASE_ID_MAX, type ElementLine, type PvCaseView, type PvMessageView } from '../src/domain/pv-case';
import { escapeMrkdwn, mrkdwnLink, quote, slackDate, userRef } from './escape';
import { textInput } from './inputs';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { button, context, header, section } from './kit';

/**
 * The PV case message (CONTRACT.md, PV_CHANNEL_ID): what pharmacovigilance needs to judge and
 * report a possible adverse event, and its three controls. A pure function of the case and
 * its post; every piece of user text is escaped here.
 */
export const PV_ACTION = {
  acknowledge: 'pv_acknowledge',
  notAdverseEvent: 'pv_not_adverse_event',
  reported: 'pv_reported',
} as const;

export const PV_NOT_AE_VIEW = 'pv_not_adverse_event';
export const PV_REPORTED_VIEW = 'pv_reported';
export const PV_REASON_BLOCK = 'reason';
export const PV_CASE_ID_BLOCK = 'safety_case_id';
export const PV_INPUT_ACTION = 'value';

/** The case id a PV control belongs to (its actions block is `pv:<id>`). */
export const caseIdOfBlock = (blockId: string | undefined): number | null => {
  const m = /^pv:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
};

const SYSTEM_ACTOR = 'hcp-pulse';

const authorLabel = (p: PvMessageView['post']) => p.author.name ?? `@${p.author.handle}`;

export function buildPvCaseMessage(view: PvMessageView): { text: string; blocks: KnownBlock[] } {
  const { case: c, post } = view;
  const blocks: KnownBlock[] = [];
  blocks.push(header(`Possible adverse event · PV case ${c.caseId}`));

  const origin =
    c.origin === 'rep'
      ? `${userRef(c.openedBy)} reported this post to PV ${slackDate(c.openedAt)} (the detector had not flagged it).`
      : 'HCP Pulse flagged this post as a possible adverse event.';
  blocks.push(section(`${origin} Judge it, then report it to the safety database or close it as not an adverse event.`));

  blocks.push(section(`*${escapeMrkdwn(authorLabel(post))}* (@${escapeMrkdwn(post.author.handle)}) posted:\n${postQuote(post)}`));
  if (post.textFromReporter) {
    blocks.push(context([':information_source: No preview of the post was available: the text above is the rep\'s, not the post\'s own words.']));
  }

  const meta = [`Posted ${slackDate(post.postedAt)} on ${escapeMrkdwn(sourceName(post.source))}`];
  if (post.url) meta.push(mrkdwnLink(post.url, 'View post'));
  meta.push(post.product ? `Product: *${escapeMrkdwn(post.product)}*` : 'Product: not named');
  blocks.push(context([meta.join(' · ')]));

  blocks.push(section(`*What a report needs*\n${post.elements.map(elementLine).join('\n')}`));

  const received = [`Received ${slackDate(post.receivedAt)} ${viaWords(post.via)}`];
  if (post.forwardedBy) received.push(`forwarded by ${userRef(post.forwardedBy)}`);
  const owner = post.owner ? ` · Rep: ${userRef(post.owner)}` : '';
  blocks.push(context([`${received.join(', ')}${owner}`]));

  blocks.push(section(deadlineLine(c)));
  const status = statusLine(c);
  if (status) blocks.push(context([status]));

  const controls = pvControls(c);
  if (controls.length) blocks.push({ type: 'actions', block_id: `pv:${c.caseId}`, elements: controls });

  const head = `Possible adverse event (PV case ${c.caseId}) by ${authorLabel(post)} (@${post.author.handle}): `;
  const { text } = truncateEscaped(post.text, 300, escapeMrkdwn);
  return { text: `${escapeMrkdwn(head)}${text}`, blocks };
}

function elementLine(e: ElementLine): string {
  if (!e.found) return `:heavy_minus_sign: *${e.label}*: not found in the post`;
  const why = e.reason ? ` (${escapeMrkdwn(truncate(e.reason, 200))})` : '';
  return `:white_check_mark: *${e.label}*: “${escapeMrkdwn(truncate(e.words ?? '', 200))}”${why}`;
}

const viaWords = (via: string) =>
  ({ webhook: 'from the social-listening feed', intake: 'from the intake channel', shortcut: 'through the Log HCP mention shortcut', command: 'through /hcp log' })[via] ??
  `via ${escapeMrkdwn(via)}`;

/** The deadline in the reader's own time zone, and how it is counted. */
export function deadlineLine(c: PvCaseView): string {
  const days = `${c.deadlineBusinessDays} business day${c.deadlineBusinessDays === 1 ? '' : 's'}, ${escapeMrkdwn(c.timeZone)}`;
  if (c.status === 'open') {
    const late = c.escalatedAt ? ' :alarm_clock: *Deadline missed*' : '';
    return `:hourglass_flowing_sand: *Acknowledge by ${slackDate(c.deadlineAt)}* (${days})${late}`;
  }
  const ack = c.acknowledgedAt ? Date.parse(c.acknowledgedAt) : null;
  const met = ack !== null && ack <= Date.parse(c.deadlineAt);
  return `Deadline ${slackDate(c.deadlineAt)} (${days}): ${met ? 'met' : '*missed*'}`;
}

/** Who did what to the case, shown on the PV message and the rep's card. */
export function statusLine(c: PvCaseView): string | null {
  const parts: string[] = [];
  if (c.acknowledgedBy && c.acknowledgedAt) parts.push(`:eyes: PV acknowledged by ${userRef(c.acknowledgedBy)} at ${slackDate(c.acknowledgedAt)}`);
  if (c.status === 'not_ae' && c.closedBy && c.closedAt) {
    parts.push(`:no_entry_sign: Not an adverse event, per ${userRef(c.closedBy)} at ${slackDate(c.closedAt)}: “${escapeMrkdwn(truncate(c.notAeReason ?? '', 500))}”`);
  }
  if (c.status === 'reported' && c.closedBy && c.closedAt) {
    parts.push(`:white_check_mark: Reported by ${userRef(c.closedBy)} at ${slackDate(c.closedAt)}, safety case *${escapeMrkdwn(c.safetyCaseId ?? '')}*`);
  }
  if (c.escalatedAt) parts.push(`:alarm_clock: Escalated ${slackDate(c.escalatedAt)}: not acknowledged by the deadline`);
  return parts.length ? parts.join('\n') : null;
}

/** The PV status line on the rep's card. */
export function repCardPvLine(c: PvCaseView): string {
  const opened = c.origin === 'rep' && c.openedBy !== SYSTEM_ACTOR ? `Reported to PV by ${userRef(c.openedBy)} at ${slackDate(c.openedAt)}` : 'Sent to PV';
  const done = statusLine(c);
  if (c.status === 'open') {
    return `:rotating_light: ${opened} · PV to acknowledge by ${slackDate(c.deadlineAt)}${done ? `\n${done}` : ''}`;
  }
  return `:rotating_light: ${opened}\n${done ?? ''}`.trimEnd();
}

function pvControls(c: PvCaseView): Button[] {
  const value = String(c.caseId);
  if (c.status === 'reported' || c.status === 'not_ae') return [];
  const out: Button[] = [];
  if (c.status === 'open') out.push(button('Acknowledge', PV_ACTION.acknowledge, value, 'primary'));
  out.push(button('Not an adverse event', PV_ACTION.notAdverseEvent, value));
  out.push(button('Reported', PV_ACTION.reported, value));
  return out;
}

/** Asks PV why the post is not an adverse event: the reason goes to the messages and the audit. */
export function notAdverseEventModal(caseId: number, author: string): ModalView {
  return {
    type: 'modal',
    callback_id: PV_NOT_AE_VIEW,
    private_metadata: JSON.stringify({ caseId }),
    title: { type: 'plain_text', text: 'Not an adverse event' },
    submit: { type: 'plain_text', text: 'Close the case' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `Why is the post by ${truncate(author, 200)} not an adverse event? The reason is kept in the audit trail.` } },
      textInput(PV_REASON_BLOCK, PV_INPUT_ACTION, 'Reason', '', { max: NOT_AE_REASON_MAX, multiline: true, hint: 'e.g. no patient exposure: the post discusses a published trial' }),
    ],
  };
}

/** Asks PV for the safety database's case id. */
export function reportedModal(caseId: number, author: string): ModalView {
  return {
    type: 'modal',
    callback_id: PV_REPORTED_VIEW,
    private_metadata: JSON.stringify({ caseId }),
    title: { type: 'plain_text', text: 'Reported' },
    submit: { type: 'plain_text', text: 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `The post by ${truncate(author, 200)} is reported to the safety database. Which case id did it get?` } },
      textInput(PV_CASE_ID_BLOCK, PV_INPUT_ACTION, 'Safety database case id', '', { max: SAFETY_CASE_ID_MAX, hint: 'As the safety database shows it, e.g. US-ZEN-2026-000123' }),
    ],
  };
}

/** The reply in the PV thread when the deadline passes unacknowledged. */
export function pvEscalationText(c: Pick<PvCaseView, 'deadlineAt' | 'deadlineBusinessDays'>, owner: string | null): string {
  const rep = owner ? ` The rep who owns the card, ${userRef(owner)}, has been told.` : '';
  return `:alarm_clock: This possible adverse event was not acknowledged by its deadline, ${slackDate(c.deadlineAt)} (${c.deadlineBusinessDays} business day${c.deadlineBusinessDays === 1 ? '' : 's'}). Please acknowledge it now.${rep}`;
}

/** The direct message to the rep when PV missed the deadline on their card's post. */
export function pvEscalationDm(c: Pick<PvCaseView, 'deadlineAt' | 'caseId'>, post: { author: { handle: string; name: string | null }; url: string | null }): { text: string; blocks: KnownBlock[] } {
  const who = `${escapeMrkdwn(post.author.name ?? `@${post.author.handle}`)} (@${escapeMrkdwn(post.author.handle)})`;
  const link = post.url ? ` (${mrkdwnLink(post.url, 'the post')})` : '';
  const text = `:alarm_clock: Pharmacovigilance has not acknowledged the possible adverse event posted by ${who}${link} by its deadline, ${slackDate(c.deadlineAt)}. The PV channel has been reminded in the case's thread; if the post is yours, make sure PV has what it needs (PV case ${c.caseId}).`;
  return { text, blocks: [section(text)] };
}

function postQuote(p: PvMessageView['post']): string {
  const lines = p.text.split('\n').length;
  const room = LIMITS.sectionText - lines - 400;
  const { text, cut } = truncateEscaped(p.text, room, escapeMrkdwn);
  const quoted = quote(text);
  if (!cut) return quoted;
  return `${quoted}\n${p.url ? mrkdwnLink(p.url, 'Read the whole post') : '_(cut to fit Slack; the whole text is stored)_'}`;
}

const sourceName = (source: string) => ({ x: 'X', twitter: 'X', linkedin: 'LinkedIn', bluesky: 'Bluesky', threads: 'Threads' })[source] ?? source;
