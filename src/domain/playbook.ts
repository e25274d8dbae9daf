import type { Sentiment } from './mention';

/**
 * The response playbook (DESIGN.md, from shared/seed): what a rep does, privately, for each
 * sentiment. Data first, so the card, the email templates and the reminders all read the
 * same words. Nothing here ever suggests a public reply.
 */
export interface PlaybookEntry {
  summary: string;
  actions: string[];
  /** Added when the author is a target HCP. */
  targetActions: string[];
  /** What the follow-up reminder asks the rep to do when it falls due. */
  followUp: string;
}

export const ALWAYS_PRIVATE =
  'Respond privately (email or text), never on social media, the quicker the better, within your compliance guidelines.';

export const PLAYBOOK: Record<Sentiment, PlaybookEntry> = {
  negative: {
    summary: 'Reach out privately and listen.',
    actions: [
      'Reach out privately and ask whether she is open to a conversation to share her point of view.',
      'If she agrees: listen with empathy, ask open-ended questions, keep a beginner\'s mind, and do not volunteer an opinion.',
      'If she asks for your view, answer with data or evidence and offer an introduction to Clinical or Medical colleagues. Leave the door open.',
      'Then reach several clinicians in her sphere of influence and offer data where it makes sense: the goal is the audience, not the original poster.',
    ],
    targetActions: [],
    followUp:
      'Check in again: is she open to a conversation now? Reach out to clinicians in her sphere of influence and offer data where it makes sense.',
  },
  neutral: {
    summary: 'Assume good intent: thank her privately.',
    actions: [
      'Assume good intent and treat it as positive.',
      'Thank her privately and say you are open to a conversation.',
    ],
    targetActions: [
      'Target HCP: follow up in a few months and ask again whether she is open to a conversation; if it goes well, consider consulting, speaking or other collaborations.',
    ],
    followUp:
      'Ask again whether she is open to a conversation. If it goes well, consider consulting, speaking or other collaborations.',
  },
  positive: {
    summary: 'Thank her privately.',
    actions: [
      'Thank her privately.',
      'Like or repost only where your social-media policy allows; never reply in public.',
    ],
    targetActions: ['Target HCP: follow up and consider collaborations such as consulting, speaking or other opportunities.'],
    followUp: 'Follow up with thanks and explore collaborations such as consulting, speaking or other opportunities.',
  },
};

export function recommendedActions(sentiment: Sentiment, isTarget: boolean): string[] {
  const entry = PLAYBOOK[sentiment];
  return isTarget ? [...entry.actions, ...entry.targetActions] : entry.actions;
}
