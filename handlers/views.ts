import type { App } from '@slack/bolt';
import { z } from 'zod';
import { DRAFT_EMAIL_VIEW, FIELD_ACTION, draftEmailMessage, fieldBlockId } from '../blocks/draft-email';
import { MARK_DONE_VIEW, REASON_ACTION, REASON_BLOCK } from '../blocks/mark-done';
import { mailtoLink, renderEmail } from '../src/domain/email-template';
import { DONE_REASONS, pickedSnoozeTime, type DoneReason } from '../src/domain/rep-actions';
import { publishHome, ReminderNotFound, snoozeReminder } from '../src/services/follow-ups';
import { ActionRefused, addNote, assign, markDone, snooze, MentionNotFound, recordEmailDrafted } from '../src/services/card-actions';
import { REASSIGN_ACTION, REASSIGN_BLOCK, REASSIGN_VIEW } from '../blocks/reassign-modal';
import { NOTE_ACTION, NOTE_BLOCK, NOTE_VIEW } from '../blocks/note-modal';
import { SNOOZE_ACTION, SNOOZE_BLOCK, SNOOZE_VIEW } from '../blocks/snooze-modal';
import { ROSTER_ACTION, ROSTER_FIELDS, ROSTER_VIEW } from '../blocks/roster-modal';
import { addToRoster, rosterEntrySchema } from '../src/services/roster-entry';
import { prepareEmailDraft } from '../src/services/draft-email';
import type { ServiceContext } from '../src/services/context';
import { LOG_ACTION, LOG_FIELDS, LOG_MENTION_VIEW } from '../blocks/log-mention-modal';
import { forwardFormSchema, identify } from '../src/ingest/forward-form';
import { logForwarded } from '../src/services/log-forwarded';
import { forwardAnswer } from './forward-answer';
import { PV_CASE_ID_BLOCK, PV_INPUT_ACTION, PV_NOT_AE_VIEW, PV_REASON_BLOCK, PV_REPORTED_VIEW } from '../blocks/pv-case';
import { closeAsNotAdverseEvent, PvCaseNotFound, recordReported } from '../src/services/pv-cases';
import { NOT_AE_REASON_MAX, SAFETY_CASE_ID_MAX } from '../src/domain/pv-case';

const logMeta = z.object({ channel: z.string(), messageTs: z.string() });
const draftMeta = z.object({ mentionId: z.number().int(), templateId: z.string() });
const doneMeta = z.object({ mentionId: z.number().int() });
const caseMeta = z.object({ caseId: z.number().int() });
const snoozeMeta = z.object({ mentionId: z.number().int(), reminderId: z.number().int().optional() });

/** Modal submissions: validate, ack (closing the modal or showing field errors), then act. */
export function registerViews(app: App, ctx: ServiceContext): void {
  registerPvViews(app, ctx);
  app.view(LOG_MENTION_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(logMeta, view.private_metadata);
    const value = (field: string) => view.state.values[field]?.[LOG_ACTION]?.value ?? undefined;
    const form = forwardFormSchema.safeParse({
      url: value(LOG_FIELDS.url),
      handle: value(LOG_FIELDS.handle),
      name: value(LOG_FIELDS.name) || undefined,
      text: value(LOG_FIELDS.text),
      product: value(LOG_FIELDS.product) || undefined,
    });
    const errors: Record<string, string> = {};
    if (!form.success) {
      for (const issue of form.error.issues) {
        const block = LOG_FIELDS[issue.path[0] as keyof typeof LOG_FIELDS];
        if (block && !errors[block]) errors[block] = issue.message;
      }
    }
    const identity = form.success ? identify(form.data.url) : null;
    if (identity && 'error' in identity) errors[LOG_FIELDS.url] = identity.error;
    if (!form.success || !identity || 'error' in identity || Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    try {
      const logged = await logForwarded(ctx, {
        ...identity,
        handle: form.data.handle,
        name: form.data.name ?? null,
        text: form.data.text,
        textFromReporter: false,
        postedAt: null,
        product: form.data.product ?? null,
        reportedBy: body.user.id,
        via: 'shortcut',
      });
      const text = await forwardAnswer(ctx, client, logged);
      await tellQuietly(ctx, client, body.user.id, meta?.channel, text);
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'log the mention');
    }
  });

  app.view(DRAFT_EMAIL_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(draftMeta, view.private_metadata);
    await ack();
    if (!meta) {
      ctx.logger.warn({ view: view.callback_id }, 'draft email submission with unreadable metadata');
      await tellUser(ctx, client, body.user.id, new ActionRefused('That draft could not be read. Please click Draft email on the alert again.'), 'draft the email');
      return;
    }
    try {
      const profile = await client.users.info({ user: body.user.id }).catch(() => null);
      const repName = profile?.user?.real_name || profile?.user?.profile?.real_name || body.user.name;
      const draft = await prepareEmailDraft(ctx, meta.mentionId, repName, meta.templateId);
      const fields = Object.fromEntries(draft.template.fields.map((f) => [f.name, view.state.values[fieldBlockId(f.name)]?.[FIELD_ACTION]?.value ?? '']));
      const email = renderEmail(draft.template, draft.context, fields);
      const mailto = mailtoLink(draft.recipient, email.subject, email.body);
      const dm = draftEmailMessage({ hcpName: draft.context.hcp_name, postUrl: draft.postUrl, recipient: draft.recipient, subject: email.subject, body: email.body, mailto, approvalCode: draft.template.approvalCode });
      await recordEmailDrafted(ctx, meta.mentionId, body.user.id, { key: view.id, text: dm.text, blocks: dm.blocks, subject: email.subject });
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'draft the email');
    }
  });

  app.view(MARK_DONE_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(doneMeta, view.private_metadata);
    const reason = view.state.values[REASON_BLOCK]?.[REASON_ACTION]?.selected_option?.value;
    if (!meta || !reason || !(reason in DONE_REASONS)) {
      await ack({ response_action: 'errors', errors: { [REASON_BLOCK]: 'Choose how the mention was handled.' } });
      return;
    }
    await ack();
    try {
      await markDone(ctx, meta.mentionId, body.user.id, reason as DoneReason);
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'mark the alert done');
    }
  });

  app.view(NOTE_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(doneMeta, view.private_metadata);
    const text = view.state.values[NOTE_BLOCK]?.[NOTE_ACTION]?.value ?? '';
    if (!meta || !text.trim()) {
      await ack({ response_action: 'errors', errors: { [NOTE_BLOCK]: 'Write the note, or cancel.' } });
      return;
    }
    await ack();
    try {
      await addNote(ctx, meta.mentionId, body.user.id, text, view.id);
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'add the note');
    }
  });

  app.view(ROSTER_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(doneMeta, view.private_metadata);
    const field = (block: string) => view.state.values[block]?.[ROSTER_ACTION];
    const text = (block: string) => field(block)?.value?.trim() || undefined;
    const entry = rosterEntrySchema.safeParse({
      name: text(ROSTER_FIELDS.name) ?? '',
      specialty: text(ROSTER_FIELDS.specialty),
      institution: text(ROSTER_FIELDS.institution),
      email: text(ROSTER_FIELDS.email),
      npi: text(ROSTER_FIELDS.npi),
      target: (field(ROSTER_FIELDS.target)?.selected_options ?? []).some((o) => o.value === 'yes'),
      owner: field(ROSTER_FIELDS.owner)?.selected_user || undefined,
      channel: field(ROSTER_FIELDS.channel)?.selected_conversation || undefined,
    });
    if (!meta || !entry.success) {
      const errors: Record<string, string> = {};
      for (const issue of entry.error?.issues ?? []) {
        const block = String(issue.path[0]);
        if (!errors[block]) errors[block] = issue.message;
      }
      if (!meta) errors[ROSTER_FIELDS.name] = 'This form could not be read. Please use Add to roster on the card again.';
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    try {
      await addToRoster(ctx, meta.mentionId, body.user.id, entry.data);
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'add the HCP to the roster');
    }
  });

  // Pick a date and time… from a card (the alert) or a reminder (that follow-up only).
  app.view(SNOOZE_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(snoozeMeta, view.private_metadata);
    const picked = pickedSnoozeTime(view.state.values[SNOOZE_BLOCK]?.[SNOOZE_ACTION]?.selected_date_time, ctx.now());
    if (!meta || 'error' in picked) {
      const error = !meta ? 'This form could not be read. Close it and choose Pick a date and time… again.' : 'error' in picked ? picked.error : '';
      await ack({ response_action: 'errors', errors: { [SNOOZE_BLOCK]: error } });
      return;
    }
    await ack();
    try {
      if (meta.reminderId === undefined) {
        await snooze(ctx, meta.mentionId, body.user.id, { until: picked.until });
        return;
      }
      // The reminder message is updated in place (outbox); App Home shows it at once.
      await snoozeReminder(ctx, meta.reminderId, body.user.id, { until: picked.until });
      await publishHome(ctx, client, body.user.id);
    } catch (err) {
      const e = err instanceof ReminderNotFound ? new ActionRefused('This follow-up no longer exists.') : err;
      await tellUser(ctx, client, body.user.id, e, meta.reminderId === undefined ? 'snooze the alert' : 'snooze the follow-up');
    }
  });

  app.view(REASSIGN_VIEW, async ({ ack, body, view, client }) => {
    const meta = parseMeta(doneMeta, view.private_metadata);
    const user = view.state.values[REASSIGN_BLOCK]?.[REASSIGN_ACTION]?.selected_user;
    if (!meta || !user || !/^[UW][A-Z0-9]{2,}$/.test(user)) {
      await ack({ response_action: 'errors', errors: { [REASSIGN_BLOCK]: 'Choose the person who should handle this mention.' } });
      return;
    }
    await ack();
    try {
      await assign(ctx, meta.mentionId, body.user.id, user);
    } catch (err) {
      await tellUser(ctx, client, body.user.id, err, 'reassign the alert');
    }
  });
}

/**
 * PV's answers: why the post is not an adverse event, or the safety database's case id. An
 * empty or too long answer keeps the modal open with the error beside the field.
 */
function registerPvViews(app: App, ctx: ServiceContext): void {
  const pvView = (callbackId: string, block: string, max: number, missing: string, what: string, run: (caseId: number, user: string, value: string) => Promise<unknown>) =>
    app.view(callbackId, async ({ ack, body, view, client }) => {
      const meta = parseMeta(caseMeta, view.private_metadata);
      const value = (view.state.values[block]?.[PV_INPUT_ACTION]?.value ?? '').trim();
      if (!meta) {
        await ack({ response_action: 'errors', errors: { [block]: 'This form could not be read. Close it and click the button on the PV message again.' } });
        return;
      }
      if (!value || value.length > max) {
        await ack({ response_action: 'errors', errors: { [block]: value ? `Keep it under ${max} characters.` : missing } });
        return;
      }
      await ack();
      try {
        await run(meta.caseId, body.user.id, value);
      } catch (err) {
        const e = err instanceof PvCaseNotFound ? new ActionRefused('This PV case no longer exists.') : err;
        await tellUser(ctx, client, body.user.id, e, what);
      }
    });
  pvView(PV_NOT_AE_VIEW, PV_REASON_BLOCK, NOT_AE_REASON_MAX, 'Say why the post is not an adverse event.', 'close the PV case', (caseId, user, reason) =>
    closeAsNotAdverseEvent(ctx, caseId, user, reason),
  );
  pvView(PV_REPORTED_VIEW, PV_CASE_ID_BLOCK, SAFETY_CASE_ID_MAX, 'Enter the safety database case id.', 'record the report', (caseId, user, id) =>
    recordReported(ctx, caseId, user, id),
  );
}

function parseMeta<T>(schema: z.ZodType<T>, raw: string): T | null {
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

async function tellUser(ctx: ServiceContext, client: App['client'], user: string, err: unknown, what: string): Promise<void> {
  const text =
    err instanceof MentionNotFound
      ? 'This alert no longer exists: its mention was removed.'
      : err instanceof ActionRefused
        ? err.message
        : `Sorry, I could not ${what}. Please try again in a moment.`;
  if (!(err instanceof MentionNotFound) && !(err instanceof ActionRefused)) ctx.logger.error({ err }, `could not ${what}`);
  await client.chat.postMessage({ channel: user, text }).catch((e: unknown) => ctx.logger.warn({ err: e }, 'could not tell the user'));
}

/** Tells the rep in the channel they worked in (only they see it), else in a DM. */
async function tellQuietly(ctx: ServiceContext, client: App['client'], user: string, channel: string | undefined, text: string): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user, text });
      return;
    } catch (err) {
      ctx.logger.info({ err }, 'ephemeral answer failed; sending a DM instead');
    }
  }
  await client.chat.postMessage({ channel: user, text }).catch((e: unknown) => ctx.logger.warn({ err: e }, 'could not tell the user'));
}
