/**
 * npm run demo: see what the channel will show, without a Slack workspace.
 * Starts the bot against the local Slack Web API double, sends a few sample mentions through
 * the signed webhook, and prints each card as text plus a Block Kit Builder link. Then it
 * walks one card through a rep's work (new, assigned, drafted, snoozed, done, reopened) with
 * clicks signed as Slack signs them, printing the card after each step and its thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { startPulse } from '../src/app';
import { sign } from '../src/ingest/signature';
import { SlackDouble } from './lib/slack-double';
import { SAMPLES } from './lib/samples';
import { renderAsText } from './lib/render-text';

async function main(): Promise<void> {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-demo-'));
  const secret = 'demo-webhook-secret-0123456789';
  const pulse = await startPulse(
    loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-demo',
      SLACK_SIGNING_SECRET: 'demo',
      SLACK_API_URL: slack.url,
      ALERT_CHANNEL_ID: 'C0ALERTS',
      PV_CHANNEL_ID: 'C0PHARMACOVIG',
      WEBHOOK_SECRET: secret,
      DATABASE_URL: `file:${join(dir, 'demo.db')}`,
      PORT: '0',
    }),
    { logger: pino({ level: 'silent' }) },
  );
  try {
    for (const sample of Object.values(SAMPLES)) {
      const body = JSON.stringify({ ...sample, postedAt: new Date().toISOString() });
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`http://127.0.0.1:${pulse.port}/webhooks/mentions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-timestamp': String(ts), 'x-webhook-signature': sign(secret, ts, body) },
        body,
      });
      console.log(`POST /webhooks/mentions (${sample.author.name}) → ${res.status} ${await res.text()}`);
    }
    const expected = Object.keys(SAMPLES).length + 1; // the adverse event also goes to PV
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= expected, 15_000, 'the demo cards');
    for (const call of slack.succeeded('chat.postMessage')) {
      const blocks = call.args.blocks as unknown[];
      console.log(`\n${'─'.repeat(78)}\n#${String(call.args.channel)}\n${'─'.repeat(78)}`);
      console.log(renderAsText(blocks));
      console.log(`\nBlock Kit Builder: https://app.slack.com/block-kit-builder/#${encodeURIComponent(JSON.stringify({ blocks }))}`);
    }
    await walkThrough(slack, `http://127.0.0.1:${pulse.port}`);
  } finally {
    await pulse.stop();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const REP = 'U0MARIA';

/** One card through its states: each step is a click (or a modal submission) as Slack sends it. */
async function walkThrough(slack: SlackDouble, base: string): Promise<void> {
  const card = slack.messages.find((m) => m.channel === 'C0ALERTS' && String(m.text).includes('Prior auth denied'))!;
  const current = () => slack.messages.find((m) => m.channel === card.channel && m.ts === card.ts)!;
  const show = (state: string) => {
    console.log(`\n${'─'.repeat(78)}\nThe card, ${state}\n${'─'.repeat(78)}`);
    console.log(renderAsText(current().blocks as unknown[]));
  };
  const updated = async (run: () => Promise<void>) => {
    const before = slack.succeeded('chat.update').filter((c) => c.args.ts === card.ts).length;
    await run();
    await slack.waitFor(() => slack.succeeded('chat.update').filter((c) => c.args.ts === card.ts).length > before, 10_000, 'the card update');
  };
  const modal = async (run: () => Promise<void>) => {
    const before = slack.callsOf('views.open').length;
    await run();
    await slack.waitFor(() => slack.callsOf('views.open').length > before, 10_000, 'the modal');
    return slack.callsOf('views.open').at(-1)!.args.view as any;
  };

  console.log(`\n${'═'.repeat(78)}\nOne card through a rep's day (clicks by @${REP})\n${'═'.repeat(78)}`);
  show('new: nobody has acted yet');
  await updated(() => click(base, current(), 'Assign to me'));
  show('assigned');
  const draft = await modal(() => click(base, current(), 'Draft email'));
  await updated(() => submit(base, draft, { 'field:greeting_name': { value: { type: 'plain_text_input', value: 'Dr. Alvarez' } } }));
  show('drafted: the email is in the rep\'s DM, Mark done is the next step');
  await updated(() => click(base, current(), 'Snooze', '1 week'));
  show('snoozed');
  const done = await modal(() => click(base, current(), 'Mark done'));
  await updated(() => submit(base, done, { reason: { value: { type: 'radio_buttons', selected_option: { value: 'contacted', text: { type: 'plain_text', text: 'Contacted' } } } } }));
  show('done');
  await updated(() => click(base, current(), 'Reopen'));
  show('reopened');
  await slack.waitFor(() => slack.messages.filter((m) => m.thread_ts === card.ts).length >= 5, 10_000, 'the thread lines');
  console.log(`\n${'─'.repeat(78)}\nIts thread: the story, one line per action\n${'─'.repeat(78)}`);
  for (const m of slack.messages.filter((x) => x.thread_ts === card.ts)) console.log(`  ${renderAsText([{ type: 'section', text: { type: 'mrkdwn', text: m.text ?? '' } }])}`);
}

/** Finds a control by its visible text (a button, a menu, or an option of the ⋯ menu). */
function controlOf(blocks: any[], text: string, option?: string) {
  for (const b of blocks) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements) {
      if (e.type === 'button' && e.text.text === text) return { block: b, action: { type: 'button', action_id: e.action_id, value: e.value, text: e.text } };
      if (e.type === 'static_select' && e.placeholder.text === text) return { block: b, action: { type: 'static_select', action_id: e.action_id, selected_option: e.options.find((o: any) => o.text.text === option) } };
      const o = e.type === 'overflow' ? e.options.find((x: any) => x.text.text === text) : undefined;
      if (o) return { block: b, action: { type: 'overflow', action_id: e.action_id, selected_option: o } };
    }
  }
  throw new Error(`no control "${text}" on the card`);
}

const user = { id: REP, username: 'maria', name: 'maria', team_id: 'T0DEMO' };

async function click(base: string, message: { channel: string; ts: string; blocks?: unknown }, text: string, option?: string) {
  const { block, action } = controlOf(message.blocks as any[], text, option);
  await toSlackEndpoint(base, {
    type: 'block_actions',
    api_app_id: 'A0DEMO',
    token: 'legacy',
    trigger_id: `${Date.now()}.1.demo`,
    user,
    team: { id: 'T0DEMO', domain: 'demo' },
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    channel: { id: message.channel, name: 'alerts' },
    message: { type: 'message', ts: message.ts, text: '', blocks: message.blocks },
    response_url: `${base}/ignored`,
    actions: [{ ...action, block_id: block.block_id, action_ts: `${Date.now() / 1000}` }],
  });
}

async function submit(base: string, view: any, values: Record<string, unknown>) {
  await toSlackEndpoint(base, {
    type: 'view_submission',
    team: { id: 'T0DEMO', domain: 'demo' },
    user,
    api_app_id: 'A0DEMO',
    token: 'legacy',
    trigger_id: `${Date.now()}.2.demo`,
    view: { id: `V${Date.now()}`, type: 'modal', callback_id: view.callback_id, private_metadata: view.private_metadata, hash: 'h', title: view.title, blocks: view.blocks, state: { values } },
  });
}

/** Posts an interaction to the bot, signed with the demo's signing secret as Slack signs it. */
async function toSlackEndpoint(base: string, payload: unknown) {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sign('demo', ts, body) },
    body,
  });
  if (res.status !== 200) throw new Error(`the bot answered ${res.status} to a click`);
}

main().catch((err) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
