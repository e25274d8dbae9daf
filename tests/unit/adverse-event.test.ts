import { detectAdverseEvent } from '../../src/domain/adverse-event';

test('patient + product + harm is a possible adverse event', () => {
  const r = detectAdverseEvent('My patient developed a severe rash two weeks after starting Zentiva.', ['Zentiva']);
  expect(r.possible).toBe(true);
  expect(r.cues.harm).toContain('rash');
  expect(r.cues.product).toContain('zentiva');
  expect(r.cues.patient).toContain('my patient');
});

test('a drug-induced harm is flagged without a named patient', () => {
  expect(detectAdverseEvent('Case of rituximab-induced neutropenia.').possible).toBe(true);
});

test('no harm, no flag', () => {
  expect(detectAdverseEvent('Great talk on Zentiva dosing by my colleagues today.', ['Zentiva']).possible).toBe(false);
});

test('"no serious adverse events" reports an absence of harm', () => {
  expect(detectAdverseEvent('No serious adverse events with Zentiva in the trial.', ['Zentiva']).possible).toBe(false);
});

test('a harm without any treatment or link is not flagged', () => {
  expect(detectAdverseEvent('Headache all day, long clinic.').possible).toBe(false);
});
