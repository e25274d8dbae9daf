import { sign } from '../../src/ingest/signature';
import { SIGNING_SECRET, findControl } from './harness';

/** Requests to /slack/events signed as Slack signs them, in Slack's own payload shapes. */
export async function postToSlackEndpoint(base: string, rawBody: string, contentType: string, extraHeaders: Record<string, string> = {}) {
  const ts = Math.floor(Date.now() / 1000);
  const headers = { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign(SIGNING_SECRET, ts, rawBody), ...extraHeaders };
  const res = await fetch(`${base}/slack/events`, { method: 'POST', headers, body: rawBody });
  const text = await res.text();
  return { status: res.status, body: text };
}

export const sendInteraction = (base: string, payload: unknown) =>
  postToSlackEndpoint(base, 'payload=' + encodeURIComponent(JSON.stringify(payload)), 'application/x-www-form-urlencoded');

export const sendEvent = (base: string, envelope: unknown, headers: Record<string, string> = {}) =>
  postToSlackEndpoint(base, JSON.stringify(envelope), 'application/json', headers);

export const sendCommand = (base: string, fields: Record<string, string>) =>
  postToSlackEndpoint(base, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');

let triggerCounter = 0;
export const newTriggerId = () => `${Date.now()}.${++triggerCounter}.abcdef`;

export interface PostedMessage {
  channel: string;
  ts: string;
  blocks: unknown;
}

/** A click on the control with this visible text, on a message the bot posted. */
export function clickOn(message: PostedMessage, controlText: string, user = 'U0REP1', option?: string) {
  const control = findControl(message.blocks, controlText);
  if (!control) throw new Error(`no control "${controlText}" on the message`);
  const element = control.type === 'overflow_option' ? control.element : control;
  const block = (message.blocks as any[]).find((b) => (b.type === 'actions' && b.elements.includes(element)) || b.accessory === element);
  const action: Record<string, unknown> = { type: element.type, action_id: element.action_id, block_id: block.block_id, action_ts: `${Date.now() / 1000}` };
  if (control.type === 'overflow_option') action.selected_option = control.option;
  if (control.type === 'button') Object.assign(action, { value: control.value, text: control.text });
  if (control.type === 'static_select') {
    const chosen = control.options.find((o: any) => o.text.text === option);
    if (!chosen) throw new Error(`no option "${option}" in "${controlText}"`);
    action.selected_option = chosen;
  }
  if (control.type === 'users_select') action.selected_user = option;
  return {
    type: 'block_actions',
    api_app_id: 'A0PULSE',
    token: 'legacy',
    trigger_id: newTriggerId(),
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEST' },
    team: { id: 'T0TEST', domain: 'pulse-test' },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: { id: message.channel, name: 'alerts' },
    message: { type: 'message', ts: message.ts, text: '', blocks: message.blocks },
    response_url: 'http://127.0.0.1:9/response',
    actions: [action],
  };
}

/** A view_submission for a modal the bot opened, with input values by block id. */
export function submitView(view: any, values: Record<string, Record<string, unknown>>, user = 'U0REP1') {
  return {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'pulse-test' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0PULSE',
    token: 'legacy',
    trigger_id: newTriggerId(),
    view: {
      id: view.id ?? 'V0VIEW',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      hash: 'h',
      title: view.title,
      blocks: view.blocks,
      state: { values },
    },
  };
}
