import { ALERT_CHANNEL, PV_CHANNEL, cardText, findControl, mention, postMention, startHarness, type Harness } from '../support/harness';
import { clickOn, sendInteraction, type PostedMessage } from '../support/slack-requests';

/** Medical questions end to end: the real app over HTTP, the Slack double, a real SQLite file. */
const MEDICAL_CHANNEL = 'C0MEDINFO';
const QUESTION = 'Has anyone used Zentiva in children? What dose would you start with?';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const topLevel = (channel: string) => h.slack.messages.filter((m) => m.channel === channel && !m.thread_ts);
const asPosted = (m: { channel: string; ts: string; blocks?: unknown }): PostedMessage => ({ channel: m.channel, ts: m.ts, blocks: m.blocks });
const current = (msg: PostedMessage): PostedMessage => asPosted(h.slack.messages.find((x) => x.channel === msg.channel && x.ts === msg.ts)!);

async function card(text: string): Promise<PostedMessage> {
  expect((await postMention(h.base, mention({ text }))).status).toBe(202);
  await h.slack.waitFor(() => topLevel(ALERT_CHANNEL).length === 1, 5000, 'the card');
  return asPosted(topLevel(ALERT_CHANNEL)[0]!);
}

test('a medical question gets Refer to Medical Information instead of Draft email; the referral reaches Medical, and Answered updates both', async () => {
  h = await startHarness({ MEDICAL_CHANNEL_ID: MEDICAL_CHANNEL });
  const c = await card(QUESTION);
  const text = cardText(c.blocks);
  // The card says what the post asks: the classifier's summary of the question.
  const stored = JSON.parse((await h.pulse.ctx.db.kysely.selectFrom('mentions').select('classification').executeTakeFirstOrThrow()).classification!);
  const question: string = stored.medicalQuestion.summary;
  expect(question).toMatch(/children/);
  expect(text).toContain(`:stethoscope: *Medical Information*: ${question}.`);
  expect(findControl(c.blocks, 'Refer to Medical Information')).toBeDefined();
  expect(findControl(c.blocks, 'Draft email')).toBeUndefined();

  await sendInteraction(h.base, clickOn(c, 'Refer to Medical Information', 'U0REP1'));
  await h.slack.waitFor(() => topLevel(MEDICAL_CHANNEL).length === 1, 5000, 'the referral');
  const referral = asPosted(topLevel(MEDICAL_CHANNEL)[0]!);
  const r = cardText(referral.blocks);
  expect(r).toContain(`Medical question: ${question}`);
  expect(r).toContain('<@U0REP1> referred this post to Medical Information <!date^');
  expect(r).toContain('*Dr. Jane Doe* (@drjane) asked:\n>Has anyone used Zentiva in children? What dose would you start with?');
  expect(r).toContain('<https://x.com/drjane/status/1790000000000000001|View post>');
  expect(findControl(referral.blocks, 'Answered')).toBeDefined();
  await h.slack.waitFor(() => cardText(current(c).blocks).includes('Referred to Medical Information by <@U0REP1> at <!date^'), 5000, 'the card update');
  expect(findControl(current(c).blocks, 'Draft email')).toBeUndefined();

  // A second referral of the same post is refused.
  await sendInteraction(h.base, clickOn(current(c), 'Refer to Medical Information', 'U0REP2'));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the refusal');
  expect(h.slack.callsOf('chat.postEphemeral')[0]!.args.text).toBe('This question was already referred to Medical Information by <@U0REP1>.');
  expect(topLevel(MEDICAL_CHANNEL)).toHaveLength(1);

  await sendInteraction(h.base, clickOn(referral, 'Answered', 'U0MED1'));
  await h.slack.waitFor(() => cardText(current(referral).blocks).includes('Answered by <@U0MED1> at <!date^'), 5000, 'the referral update');
  await h.slack.waitFor(() => cardText(current(c).blocks).includes('Answered by <@U0MED1>'), 5000, 'the card update');
  expect(findControl(current(referral).blocks, 'Answered')).toBeUndefined();

  const audit = await h.pulse.ctx.db.kysely.selectFrom('audit').select(['action', 'actor']).where('action', 'like', 'medical.%').orderBy('id').execute();
  expect(audit).toEqual([
    { action: 'medical.referred', actor: 'U0REP1' },
    { action: 'medical.posted', actor: 'hcp-pulse' },
    { action: 'medical.answered', actor: 'U0MED1' },
  ]);
});

test('without a Medical channel, the button tells the rep how to refer', async () => {
  h = await startHarness();
  const c = await card(QUESTION);
  expect(cardText(c.blocks)).toContain('No Medical Information channel is set up');
  await sendInteraction(h.base, clickOn(c, 'Refer to Medical Information', 'U0REP1'));
  await h.slack.waitFor(() => h.slack.callsOf('chat.postEphemeral').length === 1, 3000, 'the explanation');
  const told = h.slack.callsOf('chat.postEphemeral')[0]!.args;
  expect(told.user).toBe('U0REP1');
  expect(String(told.text)).toContain('only Medical Information may answer it');
  expect(await h.pulse.ctx.db.kysely.selectFrom('medical_referrals').selectAll().execute()).toHaveLength(0);
});

test('a plain negative post gets neither a PV case nor a referral, and keeps Draft email', async () => {
  h = await startHarness({ MEDICAL_CHANNEL_ID: MEDICAL_CHANNEL });
  const c = await card('Zentiva has been a real disappointment in my clinic. Not impressed at all.');
  expect(cardText(c.blocks)).toContain('*Negative*');
  expect(findControl(c.blocks, 'Draft email')).toBeDefined();
  expect(findControl(c.blocks, 'Refer to Medical Information')).toBeUndefined();
  expect(cardText(c.blocks)).not.toContain('Medical Information');
  expect(cardText(c.blocks)).not.toContain('Possible adverse event');
  // Report to PV is there for a post the detector missed, but nothing has gone to PV or Medical.
  expect(findControl(c.blocks, 'Report to PV')).toBeDefined();
  await new Promise((r) => setTimeout(r, 500));
  expect(topLevel(PV_CHANNEL)).toHaveLength(0);
  expect(topLevel(MEDICAL_CHANNEL)).toHaveLength(0);
});
