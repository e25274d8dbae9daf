import { ALERT_CHANNEL, cardText, mention, postMention, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
});
afterAll(async () => {
  await h.close();
});

test.each([
  ['an access complaint', 'Prior auth denied AGAIN for Zentiva. Third patient this month. Honestly exhausting.', '*Access &amp; reimbursement team: Offer Dr. Jane Doe, privately, the help of the access and reimbursement team'],
  ['an efficacy doubt', 'Tried Zentiva in three patients and honestly it does not work. Overhyped, disappointing.', '*Medical: Ask Dr. Jane Doe, privately, whether they would like to see the data'],
])('%s gets advice that fits the post, ahead of the playbook', async (_what, text, advice) => {
  const id = `advice-${Math.random().toString(36).slice(2)}`;
  expect((await postMention(h.base, mention({ id, text }))).status).toBe(202);
  await h.slack.waitFor(() => h.slack.messages.some((m) => m.channel === ALERT_CHANNEL && String(m.text).includes(text.slice(0, 30))), 5000, 'the card');
  const card = h.slack.messages.find((m) => m.channel === ALERT_CHANNEL && String(m.text).includes(text.slice(0, 30)))!;
  const shown = cardText(card.blocks);
  expect(shown).toContain(`• ${advice}`);
  // The post's advice leads; the playbook follows; the warning is said once.
  expect(shown.indexOf(advice)).toBeLessThan(shown.indexOf('• Reach out privately'));
  expect(shown.match(/never on social media|never reply in public/gi)).toHaveLength(1);
});
