import { buildPvCaseMessage, caseIdOfBlock, repCardPvLine } from '../../blocks/pv-case';
import { buildReferralMessage } from '../../blocks/medical-referral';
import { classifyPost } from '../../src/domain/classification';
import { humanDuration, parseClassification, pvReportRow, refusalOf, reportElements, type PvMessageView } from '../../src/domain/pv-case';
import { referralReportRow } from '../../src/domain/medical-referral';
import { LIMITS, truncateEscaped } from '../../blocks/limits';
import { escapeMrkdwn } from '../../blocks/escape';
import { cardText, findControl } from '../support/harness';

test('the four report elements come from the classification, each found or not with its words', () => {
  const c = classifyPost('My patient developed a severe rash two weeks after starting Zentiva.', { product: 'Zentiva' });
  const lines = reportElements(c, null);
  expect(lines.map((l) => l.label)).toEqual(['Identifiable patient', 'Identifiable reporter', 'Suspect product', 'Adverse event']);
  expect(lines.find((l) => l.key === 'event')).toMatchObject({ found: true, words: expect.stringMatching(/rash/i) });
  expect(lines.find((l) => l.key === 'product')).toMatchObject({ found: true, words: expect.stringMatching(/zentiva/i) });
  // Each line carries the classifier's own words and reason, untouched.
  expect(lines.find((l) => l.key === 'event')).toMatchObject({ words: c.adverseEvent.elements.event!.words, reason: c.adverseEvent.elements.event!.reason });

  const none = classifyPost('Great congress talk today.');
  const missing = reportElements(none, null).filter((l) => !l.found).map((l) => l.key);
  expect(missing).toEqual(expect.arrayContaining(['patient', 'product', 'event']));
  expect(reportElements(none, null).find((l) => l.key === 'patient')).toMatchObject({ words: null, reason: null });
});

test('a row logged before the classification existed falls back to its stored cues, reporter not found', () => {
  const lines = reportElements(parseClassification(null), { harm: ['nausea'], product: ['zentiva'], patient: [] });
  expect(lines.map((l) => [l.key, l.found, l.words])).toEqual([
    ['patient', false, null],
    ['reporter', false, null],
    ['product', true, 'zentiva'],
    ['event', true, 'nausea'],
  ]);
  expect(parseClassification('{not json')).toBeNull();
  expect(parseClassification('{"stance":"neutral"}')).toBeNull();
  expect(reportElements(null, null).every((l) => !l.found)).toBe(true);
});

const view = (over: Partial<PvMessageView['case']> = {}, post: Partial<PvMessageView['post']> = {}): PvMessageView => ({
  case: {
    caseId: 12,
    status: 'open',
    origin: 'detected',
    openedBy: 'hcp-pulse',
    openedAt: '2026-12-02T17:00:00.000Z',
    deadlineAt: '2026-12-03T17:00:00.000Z',
    deadlineBusinessDays: 1,
    timeZone: 'America/New_York',
    postedAt: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    closedBy: null,
    closedAt: null,
    notAeReason: null,
    safetyCaseId: null,
    escalatedAt: null,
    ...over,
  },
  post: {
    mentionId: 3,
    source: 'x',
    url: 'https://x.com/drjane/status/1',
    author: { handle: 'drjane', name: 'Dr. <Jane>' },
    text: 'Patient had <!channel> nausea & rash after Zentiva',
    textFromReporter: false,
    postedAt: '2026-12-01T10:00:00.000Z',
    product: 'Zentiva',
    receivedAt: '2026-12-02T17:00:00.000Z',
    via: 'intake',
    forwardedBy: 'U0REP1',
    elements: reportElements(null, { harm: ['nausea'], product: [], patient: ['patient'] }),
    owner: 'U0OWNER',
    ...post,
  },
});

test('the PV message: escaped post, the elements as found / not found, receipt, forwarder, deadline, controls', () => {
  const msg = buildPvCaseMessage(view());
  const text = cardText(msg.blocks);
  expect(text).toContain('*Dr. &lt;Jane&gt;* (@drjane) posted:\n>Patient had &lt;!channel&gt; nausea &amp; rash after Zentiva');
  expect(text).not.toContain('<!channel>');
  expect(msg.text).not.toContain('<!channel>');
  expect(text).toContain(':white_check_mark: *Identifiable patient*: “patient” (a patient)');
  expect(text).toContain(':heavy_minus_sign: *Identifiable reporter*: not found in the post');
  expect(text).toContain(':heavy_minus_sign: *Suspect product*: not found in the post');
  expect(text).toContain(':white_check_mark: *Adverse event*: “nausea” (a harm)');
  expect(text).toContain('Received <!date^1796230800^{date_short_pretty} at {time}|2026-12-02 17:00 UTC> from the intake channel, forwarded by <@U0REP1> · Rep: <@U0OWNER>');
  expect(text).toContain('*Acknowledge by <!date^1796317200^{date_short_pretty} at {time}|2026-12-03 17:00 UTC>* (1 business day, America/New_York)');
  const actions = msg.blocks.find((b) => b.type === 'actions') as any;
  expect(actions.block_id).toBe('pv:12');
  expect(caseIdOfBlock(actions.block_id)).toBe(12);
  expect(actions.elements.map((e: any) => e.text.text)).toEqual(['Acknowledge', 'Not an adverse event', 'Reported']);
});

test('after each decision the PV message shows who and when, and only the controls that still apply', () => {
  const acked = buildPvCaseMessage(view({ status: 'acknowledged', acknowledgedBy: 'U0PV', acknowledgedAt: '2026-12-02T18:00:00.000Z' }));
  expect(cardText(acked.blocks)).toContain('PV acknowledged by <@U0PV> at <!date^1796234400^');
  expect(findControl(acked.blocks, 'Acknowledge')).toBeUndefined();
  expect(findControl(acked.blocks, 'Reported')).toBeDefined();
  expect(cardText(acked.blocks)).toContain('Deadline <!date^1796317200^{date_short_pretty} at {time}|2026-12-03 17:00 UTC> (1 business day, America/New_York): met');

  const late = buildPvCaseMessage(
    view({ status: 'reported', acknowledgedBy: 'U0PV', acknowledgedAt: '2026-12-04T18:00:00.000Z', closedBy: 'U0PV', closedAt: '2026-12-04T18:00:00.000Z', safetyCaseId: 'US<1>', escalatedAt: '2026-12-03T17:00:05.000Z' }),
  );
  const text = cardText(late.blocks);
  expect(text).toContain(': *missed*');
  expect(text).toContain('safety case *US&lt;1&gt;*');
  expect(text).toContain(':alarm_clock: Escalated');
  expect(late.blocks.some((b) => b.type === 'actions')).toBe(false);

  const notAe = repCardPvLine(view({ status: 'not_ae', acknowledgedBy: 'U0PV', acknowledgedAt: '2026-12-02T18:00:00.000Z', closedBy: 'U0PV', closedAt: '2026-12-02T18:00:00.000Z', notAeReason: 'no <patient>' }).case);
  expect(notAe).toContain('Not an adverse event, per <@U0PV>');
  expect(notAe).toContain('“no &lt;patient&gt;”');
});

test('a rep-reported case says who sent it; a maximal post keeps Block Kit limits', () => {
  const rep = buildPvCaseMessage(view({ origin: 'rep', openedBy: 'U0REP9' }, { text: 'x&'.repeat(5000) }));
  expect(cardText(rep.blocks)).toContain('<@U0REP9> reported this post to PV');
  expect(rep.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  for (const b of rep.blocks as any[]) if (b.text?.type === 'mrkdwn') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
  expect(cardText(rep.blocks)).toContain('Read the whole post');
});

test('the Medical referral shows the question, who referred it, and Answered until answered', () => {
  const base = {
    post: { mentionId: 1, source: 'x', url: 'https://x.com/a/status/1', author: { handle: 'drjane', name: 'Dr. Jane' }, text: 'Dose for <kids>?', textFromReporter: false, postedAt: '2026-12-01T10:00:00.000Z', product: 'Zentiva' },
    referral: { referralId: 4, status: 'referred' as const, question: 'Question in a special population', referredBy: 'U0REP1', referredAt: '2026-12-02T17:00:00.000Z', postedAt: null, answeredBy: null, answeredAt: null },
  };
  const open = buildReferralMessage(base);
  expect(cardText(open.blocks)).toContain('Medical question: Question in a special population');
  expect(cardText(open.blocks)).toContain('<@U0REP1> referred this post to Medical Information <!date^1796230800^');
  expect(cardText(open.blocks)).toContain('>Dose for &lt;kids&gt;?');
  expect(findControl(open.blocks, 'Answered')).toBeDefined();
  const done = buildReferralMessage({ ...base, referral: { ...base.referral, status: 'answered', answeredBy: 'U0MED', answeredAt: '2026-12-02T19:00:00.000Z' } });
  expect(findControl(done.blocks, 'Answered')).toBeUndefined();
  expect(cardText(done.blocks)).toContain('Answered by <@U0MED> at <!date^');
});

test('PV steps follow the state machine', () => {
  expect(refusalOf('open', 'acknowledge')).toBeNull();
  expect(refusalOf('open', 'reported')).toBeNull();
  expect(refusalOf('acknowledged', 'not_ae')).toBeNull();
  expect(refusalOf('acknowledged', 'acknowledge')).toMatch(/already acknowledged/);
  expect(refusalOf('reported', 'not_ae')).toMatch(/already reported/);
  expect(refusalOf('not_ae', 'reported')).toMatch(/not an adverse event/);
});

test('the report figures: time to PV, time to acknowledgement, deadline met, missed or pending', () => {
  const base = {
    caseId: 1, mentionId: 2, url: null, authorHandle: 'drjane', origin: 'detected' as const, status: 'acknowledged' as const,
    receivedAt: '2026-12-02T17:00:00.000Z', openedAt: '2026-12-02T17:00:00.000Z', postedAt: '2026-12-02T17:00:02.000Z',
    acknowledgedAt: '2026-12-02T19:30:00.000Z', acknowledgedBy: 'U0PV', deadlineAt: '2026-12-03T17:00:00.000Z',
    escalatedAt: null, closedAt: null, safetyCaseId: null, notAeReason: null,
  };
  const now = new Date('2026-12-10T00:00:00Z');
  expect(pvReportRow(base, now)).toMatchObject({ timeToPvSeconds: 2, timeToAcknowledgeSeconds: 9000, deadline: 'met', author: '@drjane' });
  expect(pvReportRow({ ...base, acknowledgedAt: '2026-12-03T17:00:01.000Z' }, now).deadline).toBe('missed');
  expect(pvReportRow({ ...base, status: 'open', acknowledgedAt: null }, now)).toMatchObject({ deadline: 'missed', timeToAcknowledgeSeconds: null });
  expect(pvReportRow({ ...base, status: 'open', acknowledgedAt: null }, new Date('2026-12-03T00:00:00Z')).deadline).toBe('pending');
  expect(humanDuration(9000)).toBe('2 h 30 min');
  expect(humanDuration(45)).toBe('45 s');
  expect(humanDuration(3 * 86400 + 4 * 3600)).toBe('3 d 4 h');
  expect(referralReportRow({ referralId: 1, mentionId: 2, url: null, authorHandle: 'a', question: 'q', status: 'answered', referredBy: 'U1', referredAt: '2026-12-02T17:00:00.000Z', answeredBy: 'U2', answeredAt: '2026-12-02T18:00:00.000Z' }).timeToAnswerSeconds).toBe(3600);
});

test('text dense in escaped characters is still cut to fit', () => {
  for (const raw of ['x&'.repeat(5000), '<'.repeat(9000), 'plain '.repeat(2000)]) {
    const r = truncateEscaped(raw, 2599, escapeMrkdwn);
    expect(r.cut).toBe(true);
    expect(r.text.length).toBeLessThanOrEqual(2599);
    expect(r.text.length).toBeGreaterThan(2400);
    expect(r.text).not.toMatch(/&[a-z]*…$/); // no entity split by the cut
  }
});
