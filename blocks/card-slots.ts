import type { KnownBlock } from '@slack/types';
import type { AlertView } from '../src/domain/alert-view';
import type { CardControl } from '../src/domain/card-state';
import { sentimentWord } from '../src/domain/mention';
import { escapeMrkdwn } from './escape';
import { repCardPvLine } from './pv-case';
import { repCardMedicalLines } from './medical-referral';

/**
 * The alert card's plug-in slots. Other features own what goes in them, each with its own
 * builder; the card (blocks/alert-card.ts) places them and keeps the whole within Slack's
 * limits and the four-visible-controls rule.
 *
 * - `classificationLines`: why the classifier decided (stance, language, cues). The
 *   classifier's section builder replaces this default; it returns context lines (mrkdwn,
 *   escaped) or whole blocks (e.g. "unsure" with one-click stance buttons).
 * - `pvStatusLine`: the pharmacovigilance case status ("PV: acknowledged by @x"), shown
 *   right under the card's status line; null when there is no PV case.
 * - `featureControls`: controls a feature adds (Report to PV, Refer to Medical Information).
 *   They live in the ⋯ menu unless marked `nextStep`, which makes one the primary button
 *   (Refer replaces Draft email for a medical question). Their `id` is the Bolt action_id
 *   the feature's handler listens to; the overflow value is `<id>:<mentionId>`.
 */
export interface ClassificationSlot {
  /** Context lines shown under the post (mrkdwn, already escaped). */
  lines: string[];
  /** Whole blocks (each counts toward the card's limits; actions count as controls). */
  blocks: KnownBlock[];
}

export function classificationSlot(view: AlertView): ClassificationSlot {
  const word = sentimentWord(view.sentiment.label);
  const score = view.sentiment.score.toFixed(2);
  const line = view.sentiment.cues.length
    ? `Why *${word}*: ${view.sentiment.cues.map((c) => `“${escapeMrkdwn(c)}”`).join(', ')} (score ${score})`
    : `Why *${word}*: no clear positive or negative wording (score ${score})`;
  return { lines: [line], blocks: [] };
}

/** The card controls PV and Medical Information add; their ids are also their Bolt action ids. */
export const FEATURE_ACTION = {
  reportToPv: 'alert_report_to_pv',
  referToMedical: 'alert_refer_to_medical',
} as const;

/**
 * Where the post stands with PV ("PV acknowledged by @x at …") and, for a medical question,
 * what it asks and where its referral to Medical Information stands.
 */
export function pvStatusLine(view: AlertView): string | null {
  const lines: string[] = [];
  if (view.pv) lines.push(repCardPvLine(view.pv));
  if (view.medical) lines.push(repCardMedicalLines(view.medical.question, view.medical.referral, view.medical.channelConfigured));
  return lines.length ? lines.join('\n') : null;
}

/**
 * Refer to Medical Information leads on a medical question not yet referred and replaces Draft
 * email; Report to PV waits in the ⋯ menu of any card PV does not have yet.
 */
export function featureControls(view: AlertView): CardControl[] {
  const out: CardControl[] = [];
  // A medical question is Medical Information's to answer: never a rep's email. Once referred,
  // Mark done becomes the next step and Refer stays in the menu (a second click says who referred it).
  if (view.medical) {
    out.push({ id: FEATURE_ACTION.referToMedical, text: 'Refer to Medical Information', nextStep: !view.medical.referral, replaces: ['draft'] });
  }
  if (!view.pv) out.push({ id: FEATURE_ACTION.reportToPv, text: 'Report to PV' });
  return out;
}
