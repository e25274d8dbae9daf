import { ALERT_CHANNEL, PV_CHANNEL, cardText, findControl, mention, outboxSettled, postMention, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeEach(async () => {
  // A classifier thread whatever the machine's cores (the default is none on two cores), so the
  // path bigger machines take is the one exercised here.
  h = await startHarness({ CLASSIFIER_THREADS: '1' });
});
afterEach(async () => {
  await h.close();
});

const posted = () => h.slack.succeeded('chat.postMessage');

test('a signed mention becomes an alert card in the alert channel', async () => {
  const res = await postMention(h.base, mention({ id: '1790000000000000001' }));
  expect(res.status).toBe(202);
  expect(res.json).toEqual({ accepted: 1, duplicates: 0, mentions: [{ id: '1790000000000000001', duplicate: false }] });

  await h.slack.waitFor(() => posted().length === 1, 5000, 'the alert card');
  // Classified by the classifier's worker thread (src/services/classifier-pool.ts), not the fallback.
  expect(h.pulse.ctx.classifier.threads()).toBe(1);
  const call = posted()[0]!;
  expect(call.args.channel).toBe(ALERT_CHANNEL);
  const text = cardText(call.args.blocks);
  expect(text).toContain('*Positive*');
  expect(text).toContain('Dr. Jane Doe');
  expect(text).toContain('@drjane');
  expect(text).toContain('<https://x.com/drjane/status/1790000000000000001|View post>');
  expect(text).toContain('Recommended private actions');
  expect(text).toContain('Thank Dr. Jane Doe privately');
  expect(text).not.toMatch(/\b(she|her|he|him|his)\b/i);
  expect(text).not.toMatch(/reply (to her )?publicly on/i);
  expect(call.args.text).toMatch(/^Positive mention by Dr\. Jane Doe \(@drjane\): Switched two/);
  for (const control of ['Draft email', 'Assign to me', 'Mark done', 'Snooze', 'Change sentiment']) {
    expect(findControl(call.args.blocks, control)).toBeDefined();
  }
  const snooze = findControl(call.args.blocks, 'Snooze')!;
  expect(snooze.options.map((o: any) => o.text.text)).toEqual(['1 day', '1 week', '1 month', '3 months', 'Pick a date and time…']);
  const change = findControl(call.args.blocks, 'Change sentiment')!;
  expect(change.options.map((o: any) => o.text.text)).toEqual(['Positive', 'Neutral', 'Negative']);
});

test('post text is escaped: it can neither ping the channel nor hide a link', async () => {
  const res = await postMention(
    h.base,
    mention({ text: 'Hey <!channel> look at Zentiva & read <https://evil.example|click> now', author: { handle: 'evil<x>', name: '<@U123> Dr. <b>' } }),
  );
  expect(res.status).toBe(400); // a handle with < > is refused outright
  const ok = await postMention(h.base, mention({ text: 'Hey <!channel> look at Zentiva & read <https://evil.example|click> now', author: { handle: 'drx', name: '<@U123> Dr. <b>' } }));
  expect(ok.status).toBe(202);
  await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
  const call = posted()[0]!;
  const text = cardText(call.args.blocks);
  expect(text).toContain('&lt;!channel&gt;');
  expect(text).toContain('&lt;https://evil.example|click&gt;');
  expect(text).toContain('Zentiva &amp; read');
  expect(text).toContain('&lt;@U123&gt; Dr. &lt;b&gt;');
  expect(text).not.toContain('<!channel>');
  expect(text).not.toContain('<https://evil.example');
  expect(call.args.text).toContain('&lt;!channel&gt;');
  expect(call.args.text).not.toContain('<!channel>');
});

test('a possible adverse event is flagged on the card and also posted to pharmacovigilance', async () => {
  const res = await postMention(
    h.base,
    mention({ text: 'My patient developed a severe rash two weeks after starting Zentiva. Had to stop it.', product: 'Zentiva' }),
  );
  expect(res.status).toBe(202);
  await h.slack.waitFor(() => posted().length === 2, 5000, 'alert and PV cards');
  const channels = posted().map((c) => c.args.channel).sort();
  expect(channels).toEqual([ALERT_CHANNEL, PV_CHANNEL].sort());
  const alert = posted().find((c) => c.args.channel === ALERT_CHANNEL)!;
  expect(cardText(alert.args.blocks)).toContain('*Possible adverse event*');
  expect(cardText(alert.args.blocks)).toMatch(/pharmacovigilance within one business day/);
  expect(cardText(alert.args.blocks)).toContain('*Negative*');
  // PV gets its own case message, with its controls (tests/e2e/pv-case.test.ts covers them).
  const pv = posted().find((c) => c.args.channel === PV_CHANNEL)!;
  expect(cardText(pv.args.blocks)).toContain('Possible adverse event');
  expect(findControl(pv.args.blocks, 'Acknowledge')).toBeDefined();
});

test('a long post is cut to Slack limits with a link to the whole post', async () => {
  const long = 'Zentiva review. '.repeat(600); // ~9,600 characters
  expect((await postMention(h.base, mention({ text: long }))).status).toBe(202);
  await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
  const blocks = posted()[0]!.args.blocks as any[];
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const b of blocks) {
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    for (const e of b.elements ?? []) if (e.text?.length) expect(e.text.length).toBeLessThanOrEqual(3000);
  }
  expect(cardText(blocks)).toContain('|Read the whole post>');
  expect(String(posted()[0]!.args.text).length).toBeLessThanOrEqual(4000);
});

test('batch and X API v2 bodies are accepted, each mention once', async () => {
  const batch = await postMention(h.base, { mentions: [mention({ id: 'b1' }), mention({ id: 'b2' }), mention({ id: 'b1' })] });
  expect(batch.status).toBe(202);
  expect(batch.json).toEqual({
    accepted: 2,
    duplicates: 1,
    mentions: [
      { id: 'b1', duplicate: false },
      { id: 'b2', duplicate: false },
      { id: 'b1', duplicate: true },
    ],
  });
  const x = await postMention(h.base, {
    data: [{ id: '1800000000000000001', text: 'Zentiva prior auth denied again. Exhausting.', author_id: '42', created_at: new Date(Date.now() - 3_600_000).toISOString() }],
    includes: { users: [{ id: '42', username: 'DrSam', name: 'Dr. Sam Lee' }] },
  });
  expect(x.status).toBe(202);
  expect(x.json.accepted).toBe(1);
  await h.slack.waitFor(() => posted().length === 3, 8000, 'three cards');
  const xCard = posted().find((c) => String(c.args.text).includes('Dr. Sam Lee'))!;
  expect(cardText(xCard.args.blocks)).toContain('<https://x.com/DrSam/status/1800000000000000001|View post>');
  expect(cardText(xCard.args.blocks)).toContain('*Negative*');
  expect(cardText(xCard.args.blocks)).toContain('prior auth denied');
});

test('health and metrics answer', async () => {
  const health = await fetch(`${h.base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  await postMention(h.base, mention({ id: 'm1' }));
  await h.slack.waitFor(() => posted().length === 1, 5000, 'the card');
  await outboxSettled(h);
  const metrics = await (await fetch(`${h.base}/metrics`)).text();
  expect(metrics).toMatch(/hcp_pulse_mentions_total\{source="x",outcome="accepted"\} 1/);
  expect(metrics).toMatch(/hcp_pulse_cards_sent_total\{role="alert"\} 1/);
  expect(metrics).toMatch(/hcp_pulse_outbox_depth 0/);
});
