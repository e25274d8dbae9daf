import type { Sentiment } from './mention';

/**
 * The response playbook (DESIGN.md, from shared/seed): what a rep does, privately, for each
 * sentiment. Data first, so the card, the email templates and the reminders all read the
 * same words. Nothing here ever suggests a public reply.
 *
 * `{hcp}` stands for the HCP's name (roster name, else the post's author): the copy names the
 * person and never guesses a pronoun.
 */
export interface PlaybookEntry {
  /** The whole playbook in one line, for a card someone has already acted on. */
  summary: string;
  actions: string[];
  /** Added when the author is a target HCP. */
  targetActions: string[];
  /** What the follow-up reminder asks the rep to do when it falls due. */
  followUp: string;
}

/** The public-reply warning: said once per card (in the advice heading or its one-line summary). */
export const ALWAYS_PRIVATE =
  'Respond privately (email or text), never on social media, the quicker the better, within your compliance guidelines.';
export const NEVER_PUBLIC = 'never reply in public';

export const PLAYBOOK: Record<Sentiment, PlaybookEntry> = {
  negative: {
    summary: 'Reach out to {hcp} privately, listen, then reach the sphere of influence.',
    actions: [
      'Reach out privately and ask whether {hcp} is open to a conversation to share their point of view.',
      'If {hcp} agrees: listen with empathy, ask open-ended questions, keep a beginner\'s mind, and do not volunteer an opinion.',
      'If {hcp} asks for your view, answer with data or evidence and offer an introduction to Clinical or Medical colleagues. Leave the door open.',
      'Then reach several clinicians in the sphere of influence of {hcp} and offer data where it makes sense: the goal is the audience, not the original poster.',
    ],
    targetActions: [],
    followUp:
      'Check in again: is {hcp} open to a conversation now? Reach out to clinicians in the sphere of influence of {hcp} and offer data where it makes sense.',
  },
  neutral: {
    summary: 'Assume good intent: thank {hcp} privately.',
    actions: ['Assume good intent and treat it as positive.', 'Thank {hcp} privately and say you are open to a conversation.'],
    targetActions: [
      'Target HCP: follow up in a few months and ask again whether {hcp} is open to a conversation; if it goes well, consider consulting, speaking or other collaborations.',
    ],
    followUp: 'Ask again whether {hcp} is open to a conversation. If it goes well, consider consulting, speaking or other collaborations.',
  },
  positive: {
    summary: 'Thank {hcp} privately.',
    actions: ['Thank {hcp} privately.', 'Like or repost only where your social-media policy allows.'],
    targetActions: ['Target HCP: follow up with {hcp} and consider collaborations such as consulting, speaking or other opportunities.'],
    followUp: 'Follow up with {hcp}: thank them again and explore collaborations such as consulting, speaking or other opportunities.',
  },
};

/** Fills `{hcp}` with the HCP's name ("the HCP" when nothing better is known). */
export const withName = (text: string, hcpName: string | null | undefined): string => text.replace(/\{hcp\}/g, hcpName?.trim() || 'the HCP');

export function recommendedActions(sentiment: Sentiment, isTarget: boolean, hcpName?: string | null): string[] {
  const entry = PLAYBOOK[sentiment];
  return (isTarget ? [...entry.actions, ...entry.targetActions] : entry.actions).map((a) => withName(a, hcpName));
}

export const playbookSummary = (sentiment: Sentiment, hcpName?: string | null): string => withName(PLAYBOOK[sentiment].summary, hcpName);
