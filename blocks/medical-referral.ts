import type { KnownBlock } from '@slack/types';
import type { ReferralMessageView, ReferralView } from '../src/domain/medical-referral';
import { escapeMrkdwn, mrkdwnLink, quote, slackDate, userRef } from './escape';
import { LIMITS, truncate, truncateEscaped } from './limits';
import { context, header, section } from './kit';

/**
 * The referral of a medical question to Medical Information (CONTRACT.md, MEDICAL_CHANNEL_ID):
 * the post, its author and link, what it asks, who referred it and when, and **Answered**.
 */
export const MEDICAL_ACTION = { answered: 'medical_answered' } as const;

/** The referral id a Medical control belongs to (its actions block is `medref:<id>`). */
export const referralIdOfBlock = (blockId: string | undefined): number | null => {
  const m = /^medref:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
};

export function buildReferralMessage(view: ReferralMessageView): { text: string; blocks: KnownBlock[] } {
  const { referral: r, post } = view;
  const name = post.author.name ?? `@${post.author.handle}`;
  const blocks: KnownBlock[] = [];
  blocks.push(header(`Medical question: ${r.question}`));
  blocks.push(
    section(
      `${userRef(r.referredBy)} referred this post to Medical Information ${slackDate(r.referredAt)}. Only Medical Information may answer it; the rep will not.`,
    ),
  );
  const lines = post.text.split('\n').length;
  const { text, cut } = truncateEscaped(post.text, LIMITS.sectionText - lines - 400, escapeMrkdwn);
  const more = cut ? `\n${post.url ? mrkdwnLink(post.url, 'Read the whole post') : '_(cut to fit Slack; the whole text is stored)_'}` : '';
  blocks.push(section(`*${escapeMrkdwn(name)}* (@${escapeMrkdwn(post.author.handle)}) asked:\n${quote(text)}${more}`));
  const meta = [`Posted ${slackDate(post.postedAt)}`];
  if (post.url) meta.push(mrkdwnLink(post.url, 'View post'));
  if (post.product) meta.push(`Product: *${escapeMrkdwn(post.product)}*`);
  blocks.push(context(meta.join(' · ')));
  if (post.textFromReporter) blocks.push(context(':information_source: No preview of the post was available: the text above is the rep\'s, not the post\'s own words.'));
  if (r.status === 'answered') {
    blocks.push(context(answeredLine(r)));
  } else {
    blocks.push({
      type: 'actions',
      block_id: `medref:${r.referralId}`,
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Answered' }, action_id: MEDICAL_ACTION.answered, value: String(r.referralId), style: 'primary' }],
    });
  }
  const fallback = `Medical question referred by a rep: ${r.question}. Post by ${name} (@${post.author.handle}).`;
  return { text: escapeMrkdwn(fallback), blocks };
}

const answeredLine = (r: ReferralView) =>
  `:white_check_mark: Answered by ${userRef(r.answeredBy ?? 'Medical Information')}${r.answeredAt ? ` at ${slackDate(r.answeredAt)}` : ''}`;

/** The Medical Information section of the rep's card: what the post asks and where the referral stands. */
export function repCardMedicalLines(question: string, referral: ReferralView | null, channelConfigured: boolean): string {
  const head = `:stethoscope: *Medical Information*: ${escapeMrkdwn(truncate(question, 300))}. Only Medical Information may answer this: refer it, do not answer it yourself.`;
  if (!referral) return channelConfigured ? head : `${head} (No Medical Information channel is set up: the button explains how to refer it.)`;
  const parts = [`Referred to Medical Information by ${userRef(referral.referredBy)} at ${slackDate(referral.referredAt)}`];
  if (referral.status === 'answered') parts.push(answeredLine(referral));
  return `${head}\n${parts.join(' · ')}`;
}

