import type { View } from '@slack/types';
import type { App, BlockAction, ButtonAction, OverflowAction, StaticSelectAction, UsersSelectAction, AllMiddlewareArgs, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ACTION, mentionIdOfBlock, parseMoreValue, parseSphereRemindValue } from '../blocks/alert-card';
import { escapeMrkdwn, userRef } from '../blocks/escape';
import { remindSphereOutreach } from '../src/services/sphere-outreach';
import { reassignModal } from '../blocks/reassign-modal';
import { mentionIdOfStanceBlock, STANCE_ACTION } from '../blocks/classification';
import { noteModal } from '../blocks/note-modal';
import { rosterModal } from '../blocks/roster-modal';
import { CUSTOM_SNOOZE, snoozeModal } from '../blocks/snooze-modal';
import { draftEmailModal } from '../blocks/draft-email';
import { markDoneModal } from '../blocks/mark-done';
import { SENTIMENTS, type Sentiment } from '../src/domain/mention';
import { snoozeDays, type SnoozeChoice } from '../src/domain/rep-actions';
import { ActionRefused, assign, authorNameOf, authorOfMention, changeSentiment, MentionNotFound, reopen, snooze } from '../src/services/card-actions';
import { prepareEmailDraft } from '../src/services/draft-email';
import type { ServiceContext } from '../src/services/context';
import { FOLLOWUPS_SHOWN, followUpList, idsOfReminderBlock, REMINDER_ACTION } from '../blocks/reminder';
import { completeReminder, listFollowUps, publishHome, ReminderNotFound, snoozeReminder } from '../src/services/follow-ups';
import { FEATURE_ACTION } from '../blocks/card-slots';
import { caseIdOfBlock, notAdverseEventModal, PV_ACTION, reportedModal } from '../blocks/pv-case';
import { MEDICAL_ACTION, referralIdOfBlock } from '../blocks/medical-referral';
import { acknowledge, prepareDecision, PvCaseNotFound, reportToPv } from '../src/services/pv-cases';
import { markAnswered, ReferralNotFound, referToMedicalInformation } from '../src/services/medical-referrals';
import { mentionIdOfRollupBlock, ROLLUP_ACTION } from '../blocks/rollup';
import { openAsCard } from '../src/services/rollup-cards';
import { leanSlackCall } from '../src/delivery/slack-transport';


type Args<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> & AllMiddlewareArgs;

/**
 * Controls on the alert card. Each listener acks at once, then calls one service; the
 * service updates the card through the outbox. Refusals and errors are told to the clicker
 * alone (ephemeral) and never crash the app.
 */
export function registerActions(app: App, ctx: ServiceContext): void {
  /**
   * Every control's handler by action id, behind one global middleware (after the
   * malformed-payload check): Bolt runs every registered listener's matching middleware for
   * every request, which made a click's ack wait behind thirty listeners' middleware, and then
   * behind the fourteen view, command, shortcut and event listeners' (bench profile). A click
   * goes no further than this middleware.
   */
  const handlers = new Map<string, (args: Args) => Promise<void>>();
  // Modals open through the lean Web API call (slack-transport.ts): the client's own
  // views.open was about a fifth of a click's CPU.
  const call = leanSlackCall(ctx.config.slack.apiUrl, ctx.config.slack.botToken);
  const slack = { views: { open: (args: { trigger_id: string; view: View }) => call('views.open', args) } };
  /** Acks at once, reads the ids the control's block carries, runs, explains a refusal or error. */
  const listen = <A extends BlockAction, Ids extends object>(
    actionId: string,
    parse: (blockId: string | undefined) => Ids | null,
    run: (args: Args<A>, ids: Ids) => Promise<unknown>,
  ) =>
    handlers.set(actionId, async (untyped) => {
      const args = untyped as unknown as Args<A>;
      await args.ack();
      // The work waits one turn of the event loop: clicks that already arrived are acked
      // first instead of queueing behind this one's reads and Slack calls (bench profile).
      await new Promise((resolve) => setImmediate(resolve));
      const ids = parse(args.action.block_id);
      if (!ids) return explain(ctx, args, `Unexpected control (block ${String(args.action.block_id)}).`, 'warn');
      try {
        await run(args, ids);
      } catch (err) {
        await handleError(ctx, args, err, (ids as { mentionId?: number }).mentionId);
      }
    });
  const cardIds = (blockId: string | undefined) => {
    const mentionId = mentionIdOfBlock(blockId);
    return mentionId === null ? null : { mentionId };
  };
  const on = <A extends BlockAction>(actionId: string, run: (args: Args<A>, mentionId: number) => Promise<unknown>) =>
    listen<A, { mentionId: number }>(actionId, cardIds, (args, ids) => run(args, ids.mentionId));

  const authorOf = (mentionId: number) => authorNameOf(ctx, mentionId);
  type Click = Args<BlockAction<ButtonAction | OverflowAction | UsersSelectAction>>;
  const openDraft = async ({ body }: Click, mentionId: number) => {
    // The trigger id lives 3 seconds: two indexed reads, then the modal, before anything else.
    const repName = body.user.name ?? body.user.username;
    const draft = await prepareEmailDraft(ctx, mentionId, repName);
    await slack.views.open({
      trigger_id: body.trigger_id,
      view: draftEmailModal(draft.template, draft.context, draft.fieldValues, draft.recipient, { mentionId, templateId: draft.template.id }),
    });
  };

  /** What each card control does, whether clicked as a button or chosen in the ⋯ menu. */
  const CONTROLS: Record<string, (args: Click, mentionId: number) => Promise<unknown>> = {
    draft: openDraft,
    assign: ({ body }, mentionId) => assign(ctx, mentionId, body.user.id),
    reassign: async ({ body, action }, mentionId) => {
      // Cards posted before the ⋯ menu carry a user picker: its choice assigns at once.
      if (action.type === 'users_select') return assign(ctx, mentionId, body.user.id, action.selected_user);
      return slack.views.open({ trigger_id: body.trigger_id, view: reassignModal(mentionId, await authorOf(mentionId), body.user.id) });
    },
    done: async ({ body }, mentionId) =>
      slack.views.open({ trigger_id: body.trigger_id, view: markDoneModal(mentionId, await authorOf(mentionId)) }),
    reopen: ({ body }, mentionId) => reopen(ctx, mentionId, body.user.id),
    roster: async ({ body }, mentionId) => {
      const author = await authorOfMention(ctx, mentionId);
      return slack.views.open({ trigger_id: body.trigger_id, view: rosterModal(mentionId, author.handle, author.name, body.user.id) });
    },
    note: async ({ body }, mentionId) => slack.views.open({ trigger_id: body.trigger_id, view: noteModal(mentionId, await authorOf(mentionId)) }),
    [FEATURE_ACTION.reportToPv]: ({ body }, mentionId) => reportToPv(ctx, mentionId, body.user.id),
    [FEATURE_ACTION.referToMedical]: ({ body }, mentionId) => referToMedicalInformation(ctx, mentionId, body.user.id),
  };
  const BUTTONS: [string, string][] = [
    [ACTION.draftEmail, 'draft'],
    [ACTION.assignMe, 'assign'],
    [ACTION.reassign, 'reassign'],
    [ACTION.markDone, 'done'],
    [ACTION.reopen, 'reopen'],
    [ACTION.addNote, 'note'],
    [ACTION.addToRoster, 'roster'],
    [FEATURE_ACTION.reportToPv, FEATURE_ACTION.reportToPv],
    [FEATURE_ACTION.referToMedical, FEATURE_ACTION.referToMedical],
  ];
  for (const [actionId, control] of BUTTONS) on<BlockAction>(actionId, (args, mentionId) => CONTROLS[control]!(args as unknown as Click, mentionId));

  on<BlockAction<OverflowAction>>(ACTION.more, async (args, mentionId) => {
    const chosen = parseMoreValue(args.action.selected_option.value);
    // The block says which alert; the option says which control.
    const run = chosen ? CONTROLS[chosen.control] : undefined;
    if (!run) throw new ActionRefused('That choice is no longer offered. The alert card will refresh on its next change.');
    await run(args, mentionId);
  });

  on<BlockAction<StaticSelectAction>>(ACTION.snooze, async ({ body, action }, mentionId) => {
    if (action.selected_option.value.split(':')[0] === CUSTOM_SNOOZE.value) {
      const tomorrow = Math.floor(ctx.now().getTime() / 1000) + 86_400;
      return slack.views.open({ trigger_id: body.trigger_id, view: snoozeModal({ mentionId }, await authorOf(mentionId), tomorrow) });
    }
    return snooze(ctx, mentionId, body.user.id, snoozeChoiceOf(action.selected_option.value));
  });

  on<BlockAction<StaticSelectAction>>(ACTION.changeSentiment, async ({ body, action }, mentionId) => {
    const sentiment = action.selected_option.value.split(':')[0]!;
    if (!(SENTIMENTS as readonly string[]).includes(sentiment)) throw new ActionRefused(`Unknown sentiment "${sentiment}".`);
    await changeSentiment(ctx, mentionId, body.user.id, sentiment as Sentiment);
  });

  // Remind me beside a sphere-of-influence name: the value says which alert and colleague.
  listen<BlockAction<ButtonAction>, { card: true }>(
    ACTION.sphereRemind,
    (blockId) => (/^alert_sphere:\d+:\d+$/.test(blockId ?? '') ? { card: true } : null),
    async (args) => {
      const v = parseSphereRemindValue(args.action.value);
      if (!v) throw new ActionRefused('Unexpected Remind me value. The alert card will refresh on its next change.');
      const r = await remindSphereOutreach(ctx, v.mentionId, args.body.user.id, v.handle);
      await explain(
        ctx,
        args,
        r.created
          ? `I will remind you to reach out privately to ${escapeMrkdwn(r.who)} at your next working time, by DM.`
          : `You already have a reminder to reach out to ${escapeMrkdwn(r.who)}.`,
        'info',
        v.mentionId,
      );
    },
  );

  // One-click stance on a card whose classifier was unsure: the choice is kept as a label.
  for (const s of SENTIMENTS) {
    listen<BlockAction<ButtonAction>, { mentionId: number }>(
      STANCE_ACTION[s],
      (blockId) => {
        const mentionId = mentionIdOfStanceBlock(blockId);
        return mentionId === null ? null : { mentionId };
      },
      ({ body }, ids) => changeSentiment(ctx, ids.mentionId, body.user.id, s),
    );
  }

  // Follow-up controls: on a reminder message, in /hcp followups and on App Home.
  const onReminder = <A extends BlockAction>(actionId: string, run: (args: Args<A>, ids: { reminderId: number; mentionId: number }) => Promise<unknown>) =>
    listen<A, { reminderId: number; mentionId: number }>(actionId, idsOfReminderBlock, run);

  // The message or list the rep clicked shows the new state at once.
  const afterReminderChange = async ({ body, client, respond }: Args) => {
    if (body.container?.type === 'view') return publishHome(ctx, client, body.user.id);
    if (body.container?.is_ephemeral) {
      const { items, total } = await listFollowUps(ctx, body.user.id, FOLLOWUPS_SHOWN);
      await respond({ replace_original: true, response_type: 'ephemeral', text: 'Your open follow-ups', blocks: followUpList(items, total, ctx.now(), FOLLOWUPS_SHOWN) }).catch((err: unknown) =>
        ctx.logger.warn({ err }, 'could not refresh the follow-up list'),
      );
    }
    await publishHome(ctx, client, body.user.id);
  };

  onReminder<BlockAction<ButtonAction>>(REMINDER_ACTION.draftEmail, (args, ids) => openDraft(args, ids.mentionId));
  onReminder<BlockAction<ButtonAction>>(REMINDER_ACTION.complete, async (args, ids) => {
    await completeReminder(ctx, ids.reminderId, args.body.user.id);
    await afterReminderChange(args);
  });
  onReminder<BlockAction<StaticSelectAction>>(REMINDER_ACTION.snooze, async (args, ids) => {
    // Pick a date and time…: the card's form, for this follow-up; its submission snoozes it.
    if (args.action.selected_option.value.split(':')[0] === CUSTOM_SNOOZE.value) {
      const tomorrow = Math.floor(ctx.now().getTime() / 1000) + 86_400;
      return slack.views.open({ trigger_id: args.body.trigger_id, view: snoozeModal(ids, await authorOf(ids.mentionId), tomorrow) });
    }
    await snoozeReminder(ctx, ids.reminderId, args.body.user.id, snoozeChoiceOf(args.action.selected_option.value));
    await afterReminderChange(args);
  });

  // PV and Medical Information. On the rep's card: Report to PV (a post the detector missed) and
  // Refer to Medical Information. On the PV case message: PV's three controls. On the referral:
  // Medical's Answered.
  // (Report to PV and Refer to Medical Information are card controls: see CONTROLS above.)
  const caseIds = (blockId: string | undefined) => {
    const caseId = caseIdOfBlock(blockId);
    return caseId === null ? null : { caseId };
  };
  listen<BlockAction<ButtonAction>, { caseId: number }>(PV_ACTION.acknowledge, caseIds, ({ body }, { caseId }) => acknowledge(ctx, caseId, body.user.id));
  listen<BlockAction<ButtonAction>, { caseId: number }>(PV_ACTION.notAdverseEvent, caseIds, async ({ body }, { caseId }) => {
    const { author } = await prepareDecision(ctx, caseId, 'not_ae');
    await slack.views.open({ trigger_id: body.trigger_id, view: notAdverseEventModal(caseId, author) });
  });
  listen<BlockAction<ButtonAction>, { caseId: number }>(PV_ACTION.reported, caseIds, async ({ body }, { caseId }) => {
    const { author } = await prepareDecision(ctx, caseId, 'reported');
    await slack.views.open({ trigger_id: body.trigger_id, view: reportedModal(caseId, author) });
  });
  const referralIds = (blockId: string | undefined) => {
    const referralId = referralIdOfBlock(blockId);
    return referralId === null ? null : { referralId };
  };
  listen<BlockAction<ButtonAction>, { referralId: number }>(MEDICAL_ACTION.answered, referralIds, ({ body }, { referralId }) => markAnswered(ctx, referralId, body.user.id));

  // Open as card, beside a post listed in a burst roll-up's thread (README, "Bursts").
  listen<BlockAction<ButtonAction>, { mentionId: number }>(
    ROLLUP_ACTION.openAsCard,
    (blockId) => {
      const mentionId = mentionIdOfRollupBlock(blockId);
      return mentionId === null ? null : { mentionId };
    },
    async (args, { mentionId }) => {
      const r = await openAsCard(ctx, mentionId, args.body.user.id);
      if (!r.opened) await explain(ctx, args, `This post's card was already opened${r.openedBy ? ` by ${userRef(r.openedBy)}` : ''}: it is posted once, in this channel.`, 'info', mentionId);
    },
  );

  // Links (Open in email) still send an action that must be acknowledged.
  handlers.set('open_mailto', async ({ ack }) => {
    await ack();
  });

  app.use(async (untyped) => {
    if ((untyped.body as { type?: unknown }).type !== 'block_actions') return untyped.next();
    const args = untyped as unknown as Args;
    const handler = handlers.get(args.action.action_id);
    if (handler) return handler(args);
    await args.ack();
    await explain(ctx, args, 'This control is no longer supported. The alert card will refresh on its next change.', 'warn');
  });
}

/** Snooze options carry `<choice>:<id>`; the choice must be one the card offers. */
function snoozeChoiceOf(value: string): SnoozeChoice {
  const choice = value.split(':')[0]!;
  if (snoozeDays(choice) === undefined) throw new ActionRefused(`Unknown snooze choice "${choice}".`);
  return choice as SnoozeChoice;
}

async function handleError(ctx: ServiceContext, args: Args, err: unknown, mentionId?: number): Promise<void> {
  if (err instanceof PvCaseNotFound) return explain(ctx, args, 'This PV case no longer exists.', 'warn', mentionId);
  if (err instanceof ReferralNotFound) return explain(ctx, args, 'This referral no longer exists.', 'warn', mentionId);
  if (err instanceof ReminderNotFound) return explain(ctx, args, 'This follow-up no longer exists.', 'warn', mentionId);
  if (err instanceof MentionNotFound) return explain(ctx, args, 'This alert no longer exists: its mention was removed.', 'warn', mentionId);
  if (err instanceof ActionRefused) return explain(ctx, args, err.message, 'info', mentionId);
  ctx.logger.error({ err, mentionId, action: args.action.action_id }, 'card action failed');
  await explain(ctx, args, 'Sorry, that did not work. Please try again in a moment.', 'error', mentionId);
}

async function explain(ctx: ServiceContext, { body, client, action }: Args, text: string, level: 'info' | 'warn' | 'error', mentionId?: number): Promise<void> {
  if (level !== 'error') ctx.logger[level]({ action: action.action_id, user: body.user.id, mentionId }, text);
  const channel = body.channel?.id ?? body.container?.channel_id;
  try {
    // Clicks on App Home have no channel: the app's DM with the rep is the quiet place.
    if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text });
    else await client.chat.postMessage({ channel: body.user.id, text });
  } catch (err) {
    ctx.logger.warn({ err }, 'could not send an ephemeral explanation');
  }
}
