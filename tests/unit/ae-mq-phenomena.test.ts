import { classifyPost } from '../../src/domain/classification';
import { ruleStage } from '../../src/domain/classifier/adverse-event';
import { products } from '../../src/domain/classifier/products';

/**
 * One test per phenomenon issue 8 names for the adverse-event and medical-question stages,
 * with sentences written for these tests about products the corpus has never seen (Talvency,
 * Ombrexa, Ferulon), so the stages are checked on wording, not on our three products' lists.
 */
const on = (text: string, product = 'Talvency') => classifyPost(text, { product });
const ae = (text: string, product?: string) => on(text, product).adverseEvent.possible;
const mq = (text: string, product?: string) => on(text, product).medicalQuestion;

describe('adverse event: harm in the words HCPs use', () => {
  test('a lab value past its limit, with the cue in a rep\'s words', () => {
    const c = on('Started Talvency 3 weeks ago, QTc 520 ms on today\'s ECG. Cardiology aware.');
    expect(c.adverseEvent.possible).toBe(true);
    expect(c.adverseEvent.cues[0]!.reason).toMatch(/^Harm: 'QTc 520/);
    expect(c.adverseEvent.cues[0]!.reason).toContain('on Talvency');
    expect(c.adverseEvent.elements.event?.words).toMatch(/QTc 520/);
  });

  test.each([
    ['potassium', 'My pt on Talvency: K 6.1 this morning, repeat pending.'],
    ['liver enzymes', 'ALT 5x ULN at week 8 of Talvency in a 60 y/o, bili normal.'],
    ['creatinine doubled', 'Creatinine doubled within a month of starting Talvency in my 72 y/o.'],
    ['eGFR fall', 'eGFR dropped to 28 six weeks into Talvency. Not what I wanted to see.'],
    ['a safety lab moved the wrong way', 'Haemoglobin 12.8 -> 9.9 over two months on Talvency, no bleeding source found.'],
  ])('a lab value: %s', (_name, text) => expect(ae(text)).toBe(true));

  test.each([
    ['everyday words', 'Pt on Talvency says she has felt wiped out and dizzy every afternoon since week 2.'],
    ['a specific term no list holds', 'My pt developed bilateral uveitis a month into Talvency. Ophtho following.'],
    ['implied: had to stop', 'Had to stop Talvency in my 58 y/o after the second week. She could not get off the couch.'],
    ['implied: ended up in the ED', 'Ended up in the ED two days after his first Talvency dose. Observed overnight.'],
    ['implied: dose held', 'Talvency dose held at week 4, restarting at the lower strength next week.'],
    ['the poster is the patient', "I'm on Talvency myself and my ankles have been swollen since the second week."],
    ['French', "Ma patiente sous Talvency a fait une urticaire géante deux heures après l'injection."],
    ['German', 'Meine Patientin unter Talvency klagt seit der zweiten Spritze über Gelenkschmerzen.'],
    ['Spanish', 'Mi paciente con Talvency tiene los tobillos hinchados desde que empezó, tres kilos más.'],
  ])('%s', (_name, text) => expect(ae(text)).toBe(true));

  test('the product only as the mention\'s product, the text using a generic name we have never seen', () => {
    expect(ae('Pt started kerafloren three weeks ago, now K 6.1 with peaked T waves. Drug held.', 'Ombrexa')).toBe(true);
  });
});

describe('adverse event: what is not one', () => {
  test.each([
    ['disease and indication words', 'Talvency for severe atopic dermatitis in a 30 y/o: EASI 28 -> 4 at week 16. Sleeping again.'],
    ['a hashtag', 'Great session on heart failure today. #hyperkalemia #cardiotwitter'],
    ['side effects as trial rates', 'Talvency phase 3: nausea 18% vs 6% on placebo, diarrhoea any grade 12%.'],
    ['side effects in general', 'Teaching thread for residents: Talvency causes headache and nausea in some, tell pts to call if it lasts.'],
    ['a harm before ours was started', 'He had two gout flares before we started Talvency. None in the six months since.'],
    ['a hypothetical worry', 'Worried she might get pancreatitis on Talvency. Not started yet, just thinking it through.'],
    ['negated harms', 'Week 12 on Talvency: no nausea, no dizziness, no injection-site reactions. Pt delighted.'],
    ['a pronoun and a bare "after" are not a case', 'After the talk she gave on Talvency I finally understood the mechanism. Brilliant speaker.'],
    ['words the drug-name suffix rule used to catch', 'Please release the Talvency prior auth already, my pt has skin in this game.'],
  ])('%s', (_name, text) => expect(ae(text)).toBe(false));

  // What the rules read before the model weighs them: each of these the rules once called a harm.
  test.each([
    ['a harm word in its everyday sense', 'Talvency falls under the new wastage rules from October, bill the full vial. Tired of the billing headaches, honestly.'],
    ['the condition a co-medication is for', 'Pt on Talvency 100 mg, also on pantoprazole for reflux. Fine to give them together?'],
    ['the condition a co-medication is for, in French', "Mon patient sous Talvency demande s'il peut prendre de l'ibuprofène pour sa lombalgie."],
    ['a harm on a statin, named as a class', 'Statin myalgia on three statins before, CK normal now she is on Talvency alone.'],
    ['a harm on an opioid, named by its INN', 'Post-op she was nauseated and confused on the oxycodone, before we moved her to Talvency. Clear-headed since.'],
    ['a low value that then rose, told in words', 'Patiente sous Talvency depuis 6 mois : Hb de 8,1 à 11,6 g/dL, plus aucune transfusion.'],
  ])('rules: %s', (_name, text) => expect(ruleStage({ text, products: products('Talvency'), spans: [] }).finding.possible).toBe(false));

  test.each([
    ['a harm treated: something given for it', 'Six of my Talvency patients needed eye drops for dry eye. Manageable, nobody stopped.'],
    ['C. diff, a harm no symptom word names', 'C. diff 10 days after finishing Talvency. Oral vancomycin started.'],
  ])('rules, still a harm: %s', (_name, text) => expect(ruleStage({ text, products: products('Talvency'), spans: [] }).finding.possible).toBe(true));
});

describe('adverse event: phenomena of products the lists never saw (issue 8, third round)', () => {
  test.each([
    ['a safety lab past its limit: a low antibody level', 'IgG 210 at month 4 of Talvency, and her second chest infection since spring.'],
    ['a safety lab past its limit: glucose', 'Fasting glucose 16.2 three weeks into Talvency in a woman who was not diabetic before.'],
    ['blood pressure that climbed', 'BP 128/80 before Talvency, 158/96 at month 3. Amlodipine added, staying on it.'],
    ['our product named, then stopped', 'Talvency stopped after five weeks. Her legs ached so much she could not walk the dog.'],
    ['doses of ours cancelled', 'Cancelled the last two infusions of Talvency. She can no longer follow a conversation on the phone.'],
    ['a specific term by its word shape', 'Persistent hypoacusis in my 60 y/o eight months after finishing Talvency. ENT says sensorineural.'],
  ])('%s', (_name, text) => expect(ae(text)).toBe(true));

  test.each([
    ['an outcome told as labs that moved the good way', 'Talvency month 6 in my pt: CRP 38 → 3, platelets 95 → 180, ALP 412 → 168. Back at work.'],
    ['disease signs that came before ours', 'Her double vision and lid swelling started long before Talvency; that is the disease itself.'],
    ['a what-if about my patient', 'If my pt on Talvency ever gets pneumonitis, would I rechallenge? Planning a talk, nothing has happened.'],
  ])('not: %s', (_name, text) => expect(ae(text)).toBe(false));

  test('a value that then moves is judged by the change, not its start', () => {
    const r = ruleStage({ text: 'Talvency pt at month 8: platelets 95 → 180, Hb 9.1 → 12.4.', products: products('Talvency'), spans: [] });
    expect(r.signals).not.toContain('k:lab');
    expect(r.signals).toContain('x:lab-better');
  });
});

test('the rules give a harm to the drug named with it ("from amoxicillin"), not to ours', () => {
  // Checked on the rules: the model that decides beside them still flags this sentence (see README's known weaknesses).
  const r = ruleStage({ text: 'Her rash was from amoxicillin, which we stopped. Talvency continued, skin clear since.', products: products('Talvency'), spans: [] });
  expect(r.finding.possible).toBe(false);
  expect(r.finding.cues.map((c) => c.reason)).toContain("harm from 'amoxicillin'");
  expect(r.signals).toContain('d:harm from');
});

describe('adverse event: case-shaped posts with no harm on ours, and their harm-bearing twins', () => {
  test.each([
    ['tolerability praise', 'Switched two of my patients to Talvency this month. Really impressed with how well it is tolerated.'],
    ['tolerability praise in Spanish', 'Tres pacientes con Talvency desde marzo, bien tolerado y sin efectos secundarios hasta ahora.'],
    ['a harm negated in elided French', "Patient sous Talvency depuis deux mois : pas d'effet indésirable, il marche sans s'essouffler ni s'arrêter."],
    ['a harm negated three words back', 'Both of my Talvency patients say they sleep better, and neither has had any dizziness so far.'],
    ['the reason for a switch from another drug', 'Moved my patient from ribociclib to Talvency in May after recurrent neutropenia holds. Counts fine since.'],
    ['harm linked to another drug after an article', 'Her nausea was from the metformin in 2023. On Talvency since January, none of that.'],
    ['a harm that eased', 'His wheeze is much less troublesome and admissions went from 4 a year to 0 on Talvency.'],
    ['an action asked about, not taken', 'Patient on Talvency starting clarithromycin next week. Hold it for the course, or halve it?'],
    ['harm while off our product', 'Pharmacy lost the Talvency script again. She ran out, missed doses and the swelling came back.'],
    ['normal monitoring labs', 'Month-3 bloods for my Talvency patient: LFTs all in range, ANC 2.4. Carrying on at full dose.'],
  ])('not an event: %s', (_name, text) => expect(ae(text)).toBe(false));

  test('the rules do not read a measure that holds as a drug held', () => {
    const r = ruleStage({ text: 'Eight months on Talvency, her A1c holding. Scans every 12 weeks, still holding.', products: products('Talvency'), spans: [] });
    expect(r.finding.possible).toBe(false);
    expect(r.signals).not.toContain('k:implied');
  });

  test.each([
    ['a mild resolved harm beside praise', 'Mild nausea in the first week of Talvency for my patient, settled with meals. Otherwise very happy with it.'],
    ['a harm after negated ones', 'My patient on Talvency: no rash, no diarrhoea, but ALT 4x ULN at week 6. Held.'],
    ['held for a number of days', 'ALT 190 at the month-2 check on Talvency. Held 10 days, restarting at the lower dose.'],
    ['a harm told with its question', 'My pt on Talvency has a QTc of 512 today. Hold it, or halve it?'],
  ])('still an event: %s', (_name, text) => expect(ae(text)).toBe(true));
});

describe('medical question', () => {
  test.each([
    ['on-label dosing', 'What starting dose of Talvency do you use in an average adult? Curious what people landed on.'],
    ['administration', 'Can Talvency tablets be crushed and given through a feeding tube?'],
    ['an unapproved population', 'Anyone used Talvency in pregnancy? Pt is 14 weeks and doing badly off it.'],
    ['a combination', 'Is it OK to give Talvency together with clarithromycin for a week?'],
    ['an unapproved indication', 'Has anyone tried Talvency for hidradenitis? Off-label, I know.'],
    ['soliciting experience: thoughts?', 'Thinking of pairing Talvency with a statin in my 80 y/o. Thoughts?'],
    ['soliciting experience: would appreciate input', 'Would appreciate input on spacing Talvency doses out to every 4 weeks once stable.'],
    ['French', "Quelqu'un a déjà donné Talvency chez un enfant de 8 ans ? Quelle dose ?"],
    ['German', 'Kann man Talvency zusammen mit Methotrexat geben? Erfahrungen?'],
    ['Spanish', '¿Alguien ha usado Talvency en pacientes en diálisis? ¿Qué dosis?'],
    ['soliciting experience without a question mark', 'Looking for experience with stopping Talvency early after five of the eight infusions'],
  ])('%s', (_name, text) => {
    const q = mq(text);
    expect(q).not.toBeNull();
    expect(q!.cues[0]!.reason).toMatch(/→ Medical Information$/);
  });

  test('the summary names what is asked', () => {
    expect(mq('Can Talvency tablets be crushed and given through a feeding tube?')!.summary).toBe('Question about administration');
  });

  test.each([
    ['a statement', 'Talvency 100 mg daily has worked well for most of my pts this year.'],
    ['an access question', 'Is Talvency covered by Medicare Part D yet? Copay card still working for anyone?'],
    ['has anyone seen this side effect', 'Has anyone seen hair thinning with Talvency? Just curious whether it is a signal.'],
  ])('not: %s', (_name, text) => expect(mq(text)).toBeNull());
});

test('the card quotes the question whole, decimals and all (not the "5?" a split at "0." leaves)', () => {
  const c = on('Pt on paroxetine 40 + Talvency. Label says halve with strong 2D6 inhibitors, so max 1.5 mg, or start at 0.5? Cannot find clear guidance.');
  expect(c.medicalQuestion).not.toBeNull();
  expect(c.medicalQuestion!.cues[0]!.words).toBe('Label says halve with strong 2D6 inhibitors, so max 1.5 mg, or start at 0.5?');
  const question = c.stanceCues.find((cue) => cue.reason.startsWith('A question'));
  expect(question?.words).toMatch(/^Label says halve with strong 2D6 inhibitors, so max 1\.5 mg/);
});
