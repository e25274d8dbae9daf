import type { PostKind, PostTopic } from './classification';
import type { Sentiment } from './mention';
import { withName } from './playbook';

/**
 * Advice that fits the post: the private action a rep leads with, by what the post is about
 * (`Classification.topic`). Kept as plain data beside the playbook so that compliance can
 * review and change the wording without reading code. Every entry is a private action; none
 * suggests a public reply. `{hcp}` is the HCP's name.
 *
 * `onlyFor`: the entry applies only to those sentiments (praise is advice for a happy post);
 * `targetOnly`: only when the author is a target HCP on the roster (collaboration offers).
 */
export interface AdviceEntry {
  topic: PostTopic;
  /** Who the rep brings in, shown with the advice ("Access & reimbursement team"). */
  team: string | null;
  action: string;
  onlyFor?: Sentiment[];
  targetOnly?: boolean;
  /** Used instead when `targetOnly` applies and the author is not a target. */
  otherwise?: string;
}

export const ADVICE: AdviceEntry[] = [
  {
    topic: 'access_complaint',
    team: 'Access & reimbursement team',
    action:
      'Offer {hcp}, privately, the help of the access and reimbursement team with prior authorisation, coverage and patient support programmes.',
  },
  {
    topic: 'access_win',
    team: 'Access & reimbursement team',
    action: 'Thank {hcp} privately and share the access and reimbursement team\'s contact for future patients.',
  },
  {
    topic: 'efficacy_doubt',
    team: 'Medical',
    action:
      'Ask {hcp}, privately, whether they would like to see the data: offer the published evidence and an introduction to a Medical colleague (MSL) to discuss it.',
  },
  {
    topic: 'safety_worry',
    team: 'Pharmacovigilance and Medical',
    action:
      'Forward the post to pharmacovigilance (PV) if it may describe an adverse event, and offer {hcp} an introduction to Medical to discuss the safety data, privately.',
  },
  {
    topic: 'praise',
    team: null,
    onlyFor: ['positive', 'neutral'],
    targetOnly: true,
    action: 'Thank {hcp} privately and explore a collaboration: consulting, speaking or an advisory board, through the approved process.',
    otherwise: 'Thank {hcp} privately for the kind words.',
  },
];

/** What a medical (off-label) question calls for, whatever its topic. */
export const MEDICAL_QUESTION_ADVICE: AdviceEntry = {
  topic: 'other',
  team: 'Medical Information',
  action: 'Refer the question to Medical Information: only Medical answers questions about uses outside the label. Tell {hcp}, privately, that Medical will be in touch.',
};

export interface Advice {
  team: string | null;
  text: string;
}

/**
 * The one piece of advice that fits this post, or null when the playbook alone applies.
 * Pure: reads only its arguments.
 */
export function adviceFor(input: {
  topic: PostTopic;
  kind?: PostKind;
  medicalQuestion?: boolean;
  sentiment: Sentiment;
  isTarget: boolean;
  hcpName: string | null;
}): Advice | null {
  const entry = input.medicalQuestion ? MEDICAL_QUESTION_ADVICE : ADVICE.find((a) => a.topic === input.topic);
  if (!entry) return null;
  if (entry.onlyFor && !entry.onlyFor.includes(input.sentiment)) return null;
  if (entry.targetOnly && !input.isTarget) return entry.otherwise ? { team: null, text: withName(entry.otherwise, input.hcpName) } : null;
  return { team: entry.team, text: withName(entry.action, input.hcpName) };
}
