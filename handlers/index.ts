import type { App } from '@slack/bolt';
import type { ServiceContext } from '../src/services/context';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerShortcuts } from './shortcuts';

/** Registers every Slack listener. Handlers parse Slack's payload, call one service, ack. */
export function registerHandlers(app: App, ctx: ServiceContext): void {
  registerActions(app, ctx);
  registerCommands(app, ctx);
  registerShortcuts(app, ctx);
}
