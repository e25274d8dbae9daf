import { classifySentiment } from '../../src/domain/sentiment';

test.each([
  ['Negative biopsy after six months on Zentiva. Great news for my patient.', 'positive', 'negative biopsy'],
  ['No serious adverse events in the Zentiva arm.', 'positive', 'no serious adverse events'],
  ['Patient discontinued Zentiva due to nausea.', 'negative', 'discontinued due to'],
  ['Prior auth denied again for Zentiva.', 'negative', 'prior auth denied'],
  ['Zentiva failed to meet its primary endpoint.', 'negative', 'failed its endpoint'],
  ['Zentiva is well tolerated in my practice.', 'positive', 'well tolerated'],
  ['Not impressed with Zentiva.', 'negative', 'not impressed'],
  ['Zentiva approved for HER2-positive breast cancer, great day for patients!', 'positive', 'great'],
])('%s → %s because of "%s"', (text, label, cue) => {
  const r = classifySentiment(text);
  expect(r.label).toBe(label);
  expect(r.cues).toContain(cue);
});

test('a plain statement is neutral with no cues', () => {
  const r = classifySentiment('Started a patient on Zentiva today.');
  expect(r).toEqual({ label: 'neutral', score: 0, cues: [] });
});

test('disease names alone do not make a post negative', () => {
  expect(classifySentiment('New Zentiva data in metastatic breast cancer at SABCS.').label).toBe('neutral');
});

test('scores stay within -1..1', () => {
  for (const t of ['AWFUL AWFUL AWFUL!!!', 'best best best!!!', 'prior auth denied, discontinued due to rash, failed endpoint, recall']) {
    const s = classifySentiment(t).score;
    expect(s).toBeGreaterThanOrEqual(-1);
    expect(s).toBeLessThanOrEqual(1);
  }
});
