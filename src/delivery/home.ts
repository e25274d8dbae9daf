import type { WebClient } from '@slack/web-api';
import { deskView, type Desk } from '../../blocks/home';
import type { Logger } from '../logger';

/**
 * Publishes a user's App Home (their desk). Best-effort: Slack shows the last published view
 * until the next one, and the Home is published again on every visit, so a failure is only
 * logged. The one place the bot calls views.publish.
 */
export async function publishDeskView(slack: WebClient, logger: Logger, user: string, load: () => Promise<Desk>): Promise<void> {
  try {
    await slack.views.publish({ user_id: user, view: deskView(await load()) });
  } catch (err) {
    logger.warn({ err, user }, 'could not publish the App Home');
  }
}
