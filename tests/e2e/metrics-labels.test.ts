import { mention, postMention, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ PV_CHANNEL_ID: '' });
});
afterAll(() => h.close());

test('made-up sources do not grow /metrics: a fixed set of known sources, the rest counted as "other"', async () => {
  const made = Array.from({ length: 40 }, (_, i) => mention({ source: `made-up-${i}-<b>`, id: `src-${i}` }));
  expect((await postMention(h.base, { mentions: made })).status).toBe(202);
  expect((await postMention(h.base, mention({ source: 'linkedin', id: 'src-known' }))).status).toBe(202);
  const text = await (await fetch(`${h.base}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith('hcp_pulse_mentions_total{'));
  expect(lines).toContain('hcp_pulse_mentions_total{source="other",outcome="accepted"} 40');
  expect(lines).toContain('hcp_pulse_mentions_total{source="linkedin",outcome="accepted"} 1');
  expect(lines).toHaveLength(2);
  expect(text).not.toContain('made-up');
});
