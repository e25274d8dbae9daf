import type { KnownBlock } from '@slack/types';
import type { FollowUpView } from '../src/domain/follow-up-view';
import { sentimentWord } from '../src/domain/mention';
import { SNOOZE_CHOICES } from '../src/domain/rep-actions';
import { ALWAYS_PRIVATE } from '../src/domain/playbook';
import { escapeMrkdwn, mrkdwnLink, quote, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { CUSTOM_SNOOZE } from './snooze-modal';
import { context } from './kit';

/** How many follow-ups an ephemeral list shows (3 blocks each, under Slack's 50). */
export const FOLLOWUPS_SHOWN = 15;

/** Controls on a follow-up (reminder message, /hcp followups, App Home). */
export const REMINDER_ACTION = {
  draftEmail: 'reminder_draft_email',
  complete: 'reminder_complete',
  snooze: 'reminder_snooze',
} as const;

export const reminderBlockId = (v: Pick<FollowUpView, 'reminderId' | 'mentionId'>) => `reminder:${v.reminderId}:${v.mentionId}`;

export function idsOfReminderBlock(blockId: string | undefined): { reminderId: number; mentionId: number } | null {
  const m = /^reminder:(\d+):(\d+)$/.exec(blockId ?? '');
  return m ? { reminderId: Number(m[1]), mentionId: Number(m[2]) } : null;
}

const who = (v: FollowUpView) => {
  const name = escapeMrkdwn(v.author.name ?? `@${v.author.handle}`);
  return `*${name}* (@${escapeMrkdwn(v.author.handle)})${v.isTarget ? ' · *Target HCP*' : ''}`;
};

/**
 * Complete and Snooze (the presets, and a date and time of the rep's choosing, as on the
 * card); a follow-up of the alert also offers Draft email, which writes to the post's author.
 * An outreach reminder is about someone else (a colleague), so it has no Draft email.
 */
function controls(v: FollowUpView): KnownBlock {
  const snooze = [...SNOOZE_CHOICES.map((c) => ({ label: c.label, value: c.value })), CUSTOM_SNOOZE];
  return {
    type: 'actions',
    block_id: reminderBlockId(v),
    elements: [
      ...(v.kind === 'follow_up'
        ? [{ type: 'button' as const, text: { type: 'plain_text' as const, text: 'Draft email' }, action_id: REMINDER_ACTION.draftEmail, value: String(v.mentionId), style: 'primary' as const }]
        : []),
      { type: 'button', text: { type: 'plain_text', text: 'Complete' }, action_id: REMINDER_ACTION.complete, value: String(v.reminderId), ...(v.kind === 'follow_up' ? {} : { style: 'primary' as const }) },
      {
        type: 'static_select',
        action_id: REMINDER_ACTION.snooze,
        placeholder: { type: 'plain_text', text: 'Snooze' },
        options: snooze.map((c) => ({ text: { type: 'plain_text', text: c.label }, value: `${c.value}:${v.reminderId}` })),
      },
    ],
  };
}

function statusLine(v: FollowUpView, now?: Date): string {
  if (v.status === 'done') return `:white_check_mark: Completed by ${userRef(v.completedBy ?? 'someone')}${v.completedAt ? ` ${slackDate(v.completedAt)}` : ''}`;
  if (v.status === 'cancelled') return 'No longer needed: the alert was closed or its sentiment changed.';
  // The time too: a rep may have picked one (Pick a date and time…).
  if (v.status === 'snoozed') return `:zzz: Snoozed until ${slackDate(v.dueAt, '{date_short_pretty} at {time}')}`;
  const overdue = now && Date.parse(v.dueAt) < now.getTime() - 86_400_000;
  return `${overdue ? ':warning: Overdue since' : ':calendar: Due'} ${slackDate(v.dueAt, '{date_short_pretty}')}`;
}

/** What the reminder is: a follow-up with the post's author, or outreach about their post. */
const heading = (v: FollowUpView) => (v.kind === 'sphere_outreach' ? `:handshake: *Outreach* after the post by ${who(v)}` : `:bell: *Follow-up* with ${who(v)}`);

/** The reminder a rep receives when a follow-up (or an outreach reminder) falls due. */
export function reminderMessage(v: FollowUpView): { text: string; blocks: KnownBlock[] } {
  const post = truncateEscaped(v.text, 600, escapeMrkdwn).text;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(heading(v), LIMITS.sectionText) } },
    { type: 'section', text: { type: 'mrkdwn', text: `${quote(post)}${v.url ? `\n${mrkdwnLink(v.url, 'View post')}` : ''}` } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*What to do now:* ${escapeMrkdwn(v.instruction)}`, LIMITS.sectionText) } },
    context(`The post was *${sentimentWord(v.sentiment)}*. ${escapeMrkdwn(ALWAYS_PRIVATE)}`),
    context(statusLine(v)),
  ];
  if (v.status !== 'done' && v.status !== 'cancelled') blocks.push(controls(v));
  const what = v.kind === 'sphere_outreach' ? 'Outreach after the post by' : 'Follow-up with';
  // The notification text too is user text (name, instruction): escaped, and cut to fit.
  return { text: truncateEscaped(`${what} ${v.author.name ?? `@${v.author.handle}`}: ${v.instruction}`, LIMITS.fallbackText, escapeMrkdwn).text, blocks };
}

/** One follow-up in a list (ephemeral /hcp followups, App Home). */
export function followUpItem(v: FollowUpView, now: Date): KnownBlock[] {
  const excerpt = truncateEscaped(v.text.replace(/\s+/g, ' '), 200, escapeMrkdwn).text;
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${v.kind === 'sphere_outreach' ? heading(v) : who(v)} · ${statusLine(v, now)}\n${quote(excerpt)}\n_${escapeMrkdwn(v.instruction)}_`, LIMITS.sectionText) },
    },
    controls(v),
  ];
}

export function followUpList(items: FollowUpView[], total: number, now: Date, maxItems: number): KnownBlock[] {
  if (items.length === 0) return [{ type: 'section', text: { type: 'mrkdwn', text: 'You have no open follow-ups. :tada:' } }];
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Your open follow-ups* (${total}), soonest first` } }];
  for (const v of items.slice(0, maxItems)) blocks.push({ type: 'divider' }, ...followUpItem(v, now));
  if (total > maxItems) blocks.push(context(`…and ${total - maxItems} more. Complete or snooze these to see the rest.`));
  return blocks;
}

/** The one escalation an alert gets when nobody acted on it within RESPONSE_SLA_HOURS. */
export function slaEscalationText(hours: number, owner: string | null): string {
  const h = Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${hours} hours`;
  return `:alarm_clock: Nobody has acted on this alert for ${h}.${owner ? ` ${userRef(owner)}, this HCP is yours on the roster.` : ''} Assign it or draft the email: always respond, privately, and the quicker the better.`;
}
