import type { CardEvent } from '../src/domain/card-events';
import { sentimentWord } from '../src/domain/mention';
import { escapeMrkdwn, slackDate, userRef } from './escape';
import { truncate } from './limits';

/** One line in the alert card's thread for each thing that happened to it (escaped here). */
export function threadLine(e: CardEvent): string {
  const who = userRef(e.actor);
  switch (e.kind) {
    case 'assigned':
      return e.assignee === e.actor ? `:bust_in_silhouette: ${who} took this alert.` : `:bust_in_silhouette: ${who} assigned this alert to ${userRef(e.assignee)}.`;
    case 'drafted':
      return `:email: ${who} drafted the email “${escapeMrkdwn(truncate(e.subject, 150))}”.`;
    case 'snoozed':
      return `:zzz: ${who} snoozed it until ${slackDate(e.until)}.`;
    case 'done':
      return `:white_check_mark: ${who} marked it done: ${escapeMrkdwn(e.reason)}.`;
    case 'reopened':
      return `:arrows_counterclockwise: ${who} reopened it.`;
    case 'stance_changed':
      return e.from === e.to
        ? `:dart: ${who} confirmed the sentiment: ${sentimentWord(e.to)}.`
        : `:dart: ${who} changed the sentiment from ${sentimentWord(e.from)} to ${sentimentWord(e.to)}.`;
    case 'note':
      return `:memo: ${who}: ${escapeMrkdwn(truncate(e.text, 2900))}`;
    case 'added_to_roster':
      return `:card_index: ${who} added ${escapeMrkdwn(e.name)} to the roster${e.owner ? `, owner ${userRef(e.owner)}` : ''}.`;
    case 'follow_up_completed':
      return `:ballot_box_with_check: ${who} completed the follow-up.`;
    case 'outreach_reminder':
      return `:alarm_clock: ${who} set a reminder to reach out to ${escapeMrkdwn(e.who)} on ${slackDate(e.dueAt, '{date_short_pretty}')}.`;
    case 'pv_status':
      return `:rotating_light: ${who}: ${escapeMrkdwn(e.status)}.`;
  }
}
