import { ALERT_CHANNEL, cardText, findControl, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction, submitView, type PostedMessage } from '../support/slack-requests';

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
});
afterEach(async () => {
  await h.close();
});

const db = () => h.pulse.ctx.db.kysely;

async function cardIn(channel: string, over: Record<string, unknown>): Promise<PostedMessage> {
  expect((await postMention(h.base, mention(over))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === channel && !m.thread_ts), 5000, `the card in ${channel}`);
  const m = h.slack.messages.find((x) => x.channel === channel && !x.thread_ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
}

const current = (card: PostedMessage): PostedMessage => {
  const m = h.slack.messages.find((x) => x.channel === card.channel && x.ts === card.ts)!;
  return { channel: m.channel, ts: m.ts, blocks: m.blocks };
};
const updatesOf = (card: PostedMessage) => h.slack.succeeded('chat.update').filter((c) => c.args.channel === card.channel && c.args.ts === card.ts).length;

test('routing: a roster HCP\'s post goes to their channel, names their owner and is assigned to them', async () => {
  await db()
    .insertInto('hcps')
    .values({ handle: 'drkim', name: 'Dr. Lee Kim', specialty: 'Cardiology', target: 1, owner_slack_id: 'U0OWNER', channel_id: 'C0CARDIO', updated_at: new Date().toISOString() })
    .execute();
  const card = await cardIn('C0CARDIO', { author: { handle: 'DrKim' } });
  const text = cardText(card.blocks);
  expect(text).toContain('Cardiology · owner <@U0OWNER>');
  expect(text).toMatch(/^:new: Open · assigned to <@U0OWNER> \(roster owner\) · follow-up/);
  // Nobody has acted yet: the whole playbook, and Assign to me for anyone taking it over.
  expect(text).toContain('*Recommended private actions* for Dr. Lee Kim');
  expect(findControl(card.blocks, 'Assign to me')).toBeDefined();
  expect(await db().selectFrom('mentions').select(['assignee', 'first_action_at']).executeTakeFirstOrThrow()).toEqual({ assignee: 'U0OWNER', first_action_at: null });
  expect(h.slack.messages.filter((m) => m.channel === ALERT_CHANNEL)).toEqual([]);
});

test('Add to roster from a card: the form checks each field, then the card and the follow-up follow the new entry', async () => {
  // Not in the roster, neutral: no follow-up for a non-target.
  const card = await cardIn(ALERT_CHANNEL, { author: { handle: 'drnova', name: 'Dr. Ines Nova' }, text: 'Attending a Zentiva symposium in Boston on Friday.' });
  expect(cardText(card.blocks)).toContain('_not in the roster_');
  expect(await db().selectFrom('reminders').select('kind').where('kind', '=', 'follow_up').execute()).toEqual([]);

  expect(findControl(card.blocks, 'Add to roster')?.type).toBe('overflow_option');
  expect((await sendInteraction(h.base, clickOn(card, 'Add to roster'))).status).toBe(200);
  await h.slack.waitFor(() => h.slack.callsOf('views.open').length === 1, 3000, 'the roster form');
  const view = h.slack.callsOf('views.open')[0]!.args.view as any;
  expect(view.blocks.map((b: any) => b.label?.text).filter(Boolean)).toEqual(['Name', 'Specialty', 'Institution', 'Email', 'NPI', 'Target', 'Owner', 'Channel']);
  expect(view.blocks.find((b: any) => b.block_id === 'name').element.initial_value).toBe('Dr. Ines Nova');

  const values = (over: Record<string, unknown> = {}) => ({
    name: { value: { type: 'plain_text_input', value: 'Dr. Ines Nova' } },
    specialty: { value: { type: 'plain_text_input', value: 'Oncology' } },
    institution: { value: { type: 'plain_text_input', value: 'Riverside Clinic' } },
    email: { value: { type: 'plain_text_input', value: 'ines.nova@riverside.example' } },
    npi: { value: { type: 'plain_text_input', value: '1234567890' } },
    target: { value: { type: 'checkboxes', selected_options: [{ value: 'yes', text: { type: 'plain_text', text: 'Target HCP' } }] } },
    owner: { value: { type: 'users_select', selected_user: 'U0OWNER' } },
    channel: { value: { type: 'conversations_select', selected_conversation: null } },
    ...over,
  });
  // A bad NPI and email are pointed out in the form; nothing is stored.
  const bad = await sendInteraction(h.base, submitView(view, values({ npi: { value: { type: 'plain_text_input', value: '12ab' } }, email: { value: { type: 'plain_text_input', value: 'nope' } } })));
  expect(JSON.parse(bad.body)).toEqual({ response_action: 'errors', errors: { npi: 'An NPI has 10 digits.', email: 'Enter an email address, e.g. jane.doe@hospital.org.' } });
  expect(await db().selectFrom('hcps').selectAll().execute()).toEqual([]);

  const before = updatesOf(card);
  expect((await sendInteraction(h.base, submitView({ ...view, id: 'V0ROSTER' }, values()))).status).toBe(200);
  await h.slack.waitFor(() => updatesOf(card) > before, 5000, 'the card update');
  const text = cardText(current(card).blocks);
  expect(text).toContain('*Dr. Ines Nova* (@drnova) · *Target HCP*');
  expect(text).toContain('Oncology · Riverside Clinic · owner <@U0OWNER>');
  expect(text).not.toContain('not in the roster');
  expect(text).toMatch(/^:new: Open · assigned to <@U0OWNER> \(roster owner\) · follow-up <!date\^/);
  expect(findControl(current(card).blocks, 'Add to roster')).toBeUndefined();

  // The follow-up is replanned: a target's neutral post now gets one.
  const followUps = await db().selectFrom('reminders').select(['status', 'instruction']).where('kind', '=', 'follow_up').execute();
  expect(followUps).toEqual([{ status: 'pending', instruction: expect.stringContaining('Ask again whether Dr. Ines Nova is open to a conversation') }]);
  expect(await db().selectFrom('hcps').select(['handle', 'npi', 'target', 'owner_slack_id', 'email']).executeTakeFirstOrThrow()).toEqual({
    handle: 'drnova',
    npi: '1234567890',
    target: 1,
    owner_slack_id: 'U0OWNER',
    email: 'ines.nova@riverside.example',
  });
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.thread_ts === card.ts), 15_000, 'the thread line');
  expect(h.slack.messages.find((m) => m.thread_ts === card.ts)!.text).toBe(':card_index: <@U0REP1> added Dr. Ines Nova to the roster, owner <@U0OWNER>.');
});
