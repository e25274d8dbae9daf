import type { App, Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { ServiceContext } from '../src/services/context';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';
import { dedupeEvents, registerEvents } from './events';

/** Registers every Slack listener. Handlers parse Slack's payload, call one service, ack. */
export function registerHandlers(app: App, ctx: ServiceContext): void {
  app.use(rejectMalformed(ctx));
  app.use(dedupeEvents(ctx));
  registerActions(app, ctx);
  registerCommands(app, ctx);
  registerShortcuts(app, ctx);
  registerViews(app, ctx);
  registerEvents(app, ctx);
}

/**
 * Interaction payloads whose shape we cannot read are acknowledged (so Slack shows no error
 * and does not retry), logged, and go no further.
 */
function rejectMalformed(ctx: ServiceContext): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: unknown; actions?: unknown; view?: unknown; user?: { id?: unknown } };
    const malformed =
      (body.type === 'block_actions' &&
        (!Array.isArray(body.actions) || body.actions.some((a) => typeof (a as { action_id?: unknown })?.action_id !== 'string'))) ||
      (body.type === 'view_submission' && typeof (body.view as { callback_id?: unknown })?.callback_id !== 'string') ||
      ((body.type === 'block_actions' || body.type === 'view_submission') && typeof body.user?.id !== 'string');
    if (!malformed) return args.next();
    ctx.logger.warn({ type: body.type }, 'ignored a Slack payload of an unexpected shape');
    const ack = (args as { ack?: () => Promise<void> }).ack;
    if (ack) await ack();
  };
}
