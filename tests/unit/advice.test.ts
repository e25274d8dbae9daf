import { ADVICE, adviceFor } from '../../src/domain/advice';
import { classifyPost, type Classification } from '../../src/domain/classification';

/** A classification as the classifier would return it, with the fields the advice reads set. */
const classification = (over: Partial<Classification>): Classification => ({
  language: 'en',
  kind: 'opinion',
  topic: 'other',
  aboutProduct: true,
  stance: 'negative',
  score: -0.5,
  unsure: false,
  stanceCues: [],
  adverseEvent: { possible: false, elements: { patient: null, reporter: null, product: null, event: null }, cues: [] },
  medicalQuestion: null,
  ...over,
});

const advise = (c: Classification, isTarget = false) =>
  adviceFor({ topic: c.topic, kind: c.kind, medicalQuestion: c.medicalQuestion !== null, sentiment: c.stance, isTarget, hcpName: 'Dr. Ana Ruiz' });

test.each<[string, Partial<Classification>, boolean, string | null, RegExp]>([
  ['an access complaint', { topic: 'access_complaint' }, false, 'Access & reimbursement team', /access and reimbursement team with prior authorisation/],
  ['an efficacy doubt', { topic: 'efficacy_doubt' }, false, 'Medical', /see the data: offer the published evidence and an introduction to a Medical colleague/],
  ['a safety worry', { topic: 'safety_worry' }, false, 'Pharmacovigilance and Medical', /pharmacovigilance \(PV\).*introduction to Medical/],
  ['praise from a target', { topic: 'praise', stance: 'positive', score: 0.6 }, true, null, /explore a collaboration: consulting, speaking or an advisory board/],
  ['praise from a non-target', { topic: 'praise', stance: 'positive', score: 0.6 }, false, null, /^Thank Dr\. Ana Ruiz privately for the kind words\.$/],
  ['a medical question', { kind: 'question', medicalQuestion: { topic: 'dosing', summary: 'Question about dosing', cues: [] } }, false, 'Medical Information', /Refer the question to Medical Information/],
])('%s gets its own private advice, naming the HCP', (_what, over, isTarget, team, text) => {
  const advice = advise(classification(over), isTarget)!;
  expect(advice.team).toBe(team);
  expect(advice.text).toMatch(text);
  expect(advice.text).toContain('Dr. Ana Ruiz');
});

test('a post about nothing in particular gets the playbook alone', () => {
  expect(advise(classification({ topic: 'other' }))).toBeNull();
  // Praise advice is for a post that praises.
  expect(advise(classification({ topic: 'praise', stance: 'negative' }), true)).toBeNull();
});

test('the advice data never suggests a public reply and never guesses a pronoun', () => {
  for (const a of ADVICE) {
    for (const text of [a.action, a.otherwise ?? '']) {
      expect(text).not.toMatch(/reply (publicly|in public|on (x|twitter|social))|\b(retweet|quote[- ]tweet)\b/i);
      expect(text).not.toMatch(/\b(she|her|hers|he|him|his)\b/i);
    }
  }
});

test('the classifier fills the topic the advice reads', () => {
  expect(classifyPost('Prior auth denied AGAIN for Zentiva. Honestly exhausting, not worth the paperwork.').topic).toBe('access_complaint');
});
