import type { Button, KnownBlock } from '@slack/types';
import type { AlertView } from '../src/domain/alert-view';
import { languageName, type Cue } from '../src/domain/classification';
import { SENTIMENTS, sentimentWord, type Sentiment } from '../src/domain/mention';
import { escapeMrkdwn } from './escape';
import { LIMITS, truncate } from './limits';

/**
 * The classifier's part of the alert card: why the stance (in the post's own words and a
 * rep's reasons), the language when it is not English, the adverse-event and
 * medical-question cues, and, when the classifier is unsure, one-click Positive / Neutral /
 * Negative. The card (blocks/alert-card.ts, via card-slots.ts) places what this returns.
 */

/** One-click stance buttons: their block is `alert_stance:<mention id>`, the value the stance. */
export const STANCE_ACTION: Record<Sentiment, string> = {
  positive: 'alert_stance_positive',
  neutral: 'alert_stance_neutral',
  negative: 'alert_stance_negative',
};

export const mentionIdOfStanceBlock = (blockId: string | undefined): number | null => {
  const m = /^alert_stance:(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : null;
};

export interface ClassificationSection {
  lines: string[];
  blocks: KnownBlock[];
}

const MAX_CUES = 3;

/** A cue as a rep reads it: the reason, then the post's own words in quotes. */
export const cueText = (c: Cue): string =>
  c.words && !c.reason.includes(c.words) ? `${escapeMrkdwn(c.reason)}: “${escapeMrkdwn(c.words)}”` : escapeMrkdwn(c.reason);

export function classificationSection(view: AlertView): ClassificationSection {
  const c = view.classification;
  const word = sentimentWord(view.sentiment.label);
  const setByRep = view.sentiment.cues.find((x) => /\b(?:set|confirmed) by a rep\b/.test(x));
  const lines: string[] = [];
  const blocks: KnownBlock[] = [];
  if (!c) {
    // Mentions logged before the staged classifier kept its cues as plain words.
    lines.push(
      view.sentiment.cues.length
        ? `Why *${word}*: ${view.sentiment.cues.map((x) => `“${escapeMrkdwn(x)}”`).join(', ')}`
        : `Why *${word}*: no clear positive or negative wording`,
    );
    return { lines, blocks };
  }
  const lang = c.language !== 'en' ? ` · written in ${languageName(c.language)}` : '';
  const about = c.aboutProduct ? '' : ' · aimed at something other than the product';
  if (setByRep) {
    lines.push(`Why *${word}*: ${escapeMrkdwn(setByRep)}${lang}`);
  } else {
    const cues = c.stanceCues.filter((x) => !/^written in /.test(x.reason) && !/please check$/.test(x.reason)).slice(0, MAX_CUES);
    const why = cues.length ? cues.map(cueText).join(' · ') : 'no clear verdict on the product';
    lines.push(truncate(`${c.unsure ? `Leaning *${word}*, unsure` : `Why *${word}*`}${lang}${about}: ${why}`, LIMITS.sectionText));
  }
  if (c.adverseEvent.possible && c.adverseEvent.cues.length) {
    lines.push(truncate(`:warning: ${c.adverseEvent.cues.slice(0, MAX_CUES).map(cueText).join(' · ')}`, LIMITS.sectionText));
  }
  if (c.medicalQuestion) {
    lines.push(truncate(`:pill: ${escapeMrkdwn(c.medicalQuestion.summary)} → Medical Information`, LIMITS.sectionText));
  }
  if (c.unsure && !setByRep && view.status.state === 'open') {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `:grey_question: *Stance unsure*: the post's evidence is weak or conflicting. What is this HCP's stance on the product?` },
    });
    blocks.push({
      type: 'actions',
      block_id: `alert_stance:${view.mentionId}`,
      elements: SENTIMENTS.map(
        (s): Button => ({
          type: 'button',
          text: { type: 'plain_text', text: sentimentWord(s) },
          action_id: STANCE_ACTION[s],
          value: s,
          ...(s === view.sentiment.label ? { style: 'primary' as const } : {}),
        }),
      ),
    });
  }
  return { lines, blocks };
}
