import type { Button, KnownBlock } from '@slack/types';
import { LIMITS, truncate } from './limits';

/**
 * The Block Kit pieces every builder uses, each cut to Slack's limit for its field, so that a
 * long value shortens the message instead of Slack refusing it. Text is passed in already
 * escaped (blocks/escape.ts): these build structure, they do not decide what is user text.
 */
export const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } });

/** A context block of one or several mrkdwn elements (at most Slack's ten). */
export const context = (texts: string | string[]): KnownBlock => ({
  type: 'context',
  elements: (typeof texts === 'string' ? [texts] : texts).slice(0, LIMITS.contextElements).map((t) => ({ type: 'mrkdwn', text: truncate(t, LIMITS.sectionText) })),
});

export const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText) } });

export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText) },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});
