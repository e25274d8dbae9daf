import { classifyPost } from '../../src/domain/classification';
import { analyse } from '../../src/domain/classifier';
import { detectLanguage } from '../../src/domain/classifier/language';
import { decide, isDrugLike, type StanceWeights, wordFeatures } from '../../src/domain/classifier/model';
import { products } from '../../src/domain/classifier/products';
import { measure } from '../../src/domain/classifier/stance-features';
import { weightRows } from '../../src/domain/classifier/text';
import { partFiles, readJsonl } from '../../scripts/lib/corpus';
import { SAMPLE_LABELS, SAMPLES } from '../../scripts/lib/samples';
import weights from '../../src/domain/classifier/stance-weights.json';

const on = (text: string, product = 'Velorixan') => classifyPost(text, { product });

test.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])('the demo sample "%s" is read as labelled', (name) => {
  const c = classifyPost(SAMPLES[name].text, { product: SAMPLES[name].product });
  const want = SAMPLE_LABELS[name];
  expect({ stance: c.stance, adverseEvent: c.adverseEvent.possible, medicalQuestion: c.medicalQuestion !== null }).toEqual({
    stance: want.stance,
    adverseEvent: want.adverseEvent,
    medicalQuestion: want.medicalQuestion,
  });
  if (want.unsure) expect(c.unsure).toBe(true);
});

test('language: French, German and Spanish are told from English clinical shorthand', () => {
  expect(detectLanguage('Pt wk 12: EASI 34 -> 6, itch NRS 9 -> 1. Pt sleeping 7 hrs a night.').language).toBe('en');
  expect(detectLanguage('Ma patiente sous Pruvexa depuis 4 mois : plus de lésions sur le visage.').language).toBe('fr');
  expect(detectLanguage('Meine Patientin unter Pruvexa: nach 16 Wochen kein Juckreiz mehr.').language).toBe('de');
  expect(detectLanguage('¿Alguien ha usado Zentiva con dapagliflozina a la vez?').language).toBe('es');
});

test('adverse event: a lab value past its limit on our product, with a patient', () => {
  const c = on('Pt on Velorixan 160 mg, week 6: QTc 512 ms on the monthly ECG, was 438 at baseline. Holding.');
  expect(c.adverseEvent.possible).toBe(true);
  expect(c.adverseEvent.cues[0]!.reason).toContain("'QTc");
  expect(c.adverseEvent.cues[0]!.reason).toContain('on Velorixan');
});

test('adverse event: everyday words and implied harm count; a normal lab value does not', () => {
  expect(on('My pt on Velorixan felt wiped out by day 10, napping 3x a day.').adverseEvent.possible).toBe(true);
  expect(on('Had to stop Velorixan after 3 weeks. She could not leave the bathroom.').adverseEvent.possible).toBe(true);
  expect(on('Started Velorixan in Feb, QTc 441, K 4.6. Pt doing great.').adverseEvent.possible).toBe(false);
});

test('adverse event exclusions: negated, hypothetical, general or trial figures, another drug', () => {
  expect(on('Week 8 on Velorixan: no rash, no diarrhoea, no paronychia. Pt thrilled.').adverseEvent.possible).toBe(false);
  expect(on('Worried about starting Velorixan in my 84 y/o: what if she gets pneumonitis? Not started yet.').adverseEvent.possible).toBe(false);
  expect(on('Velorixan: grade 3 rash in the trial 8%, diarrhoea any grade 62%.').adverseEvent.possible).toBe(false);
  expect(on('Pt had pneumonitis from pembrolizumab last year. Now 2 months on Velorixan, scans shrinking.').adverseEvent.possible).toBe(false);
});

test('medical question: topic and a summary a rep can act on; access and "seen this?" questions are not', () => {
  const q = on('Anyone giving Velorixan to a 10 y/o? What dose would you use?');
  expect(q.medicalQuestion).toMatchObject({ topic: 'population', summary: 'Question about dosing in children' });
  expect(on('Can Velorixan capsules be opened and mixed into applesauce for a pt with dysphagia?').medicalQuestion?.topic).toBe('administration');
  expect(on('Does anyone know if Velorixan is covered by Part D plans? Prior auth is a nightmare.').medicalQuestion).toBeNull();
  expect(on('Has anyone seen nosebleeds with Velorixan? Just curious.').medicalQuestion).toBeNull();
});

test('stance: sarcasm is read for what it means; an access complaint is negative; news is neutral', () => {
  expect(on('Oh great, another prior auth denial for Velorixan. Love practicing medicine by fax. 🙃').stance).toBe('negative');
  expect(on('Velorixan label update: ILD wording now reads "rare but potentially fatal". Check your consent forms.').stance).toBe('neutral');
});

test('stance: a good outcome told in numbers, without sentiment words, reads positive', () => {
  expect(on('Restaging CT after 4 cycles of Velorixan: target lesions down 38%, pleural effusion gone, she walked into clinic.').stance).toBe('positive');
});

test('every cue quotes the post\'s own words', () => {
  const text = 'Oh great, another prior auth denial for Velorixan. Love practicing medicine by fax.';
  const c = on(text);
  for (const cue of [...c.stanceCues, ...c.adverseEvent.cues]) if (cue.words && !cue.reason.startsWith('written in')) expect(text.toLowerCase()).toContain(cue.words.toLowerCase().replace(/ … .*/, ''));
});

test('on every dev post, each cue a rep reads quotes the post as written, never the model\'s marks', () => {
  // Once, 226 of 3,644 cards quoted a word the model read inside a negation's scope as "¬the",
  // and 9 rebuilt a dropped harm with a space the post did not have ("Pas d' effet").
  const squash = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();
  const misquoted: string[] = [];
  const repeated: string[] = [];
  const lone: string[] = [];
  for (const p of partFiles('dev').flatMap(readJsonl)) {
    const c = classifyPost(p.text, { product: p.product ?? null });
    const text = squash(p.text);
    // One line per quote: "creat 1.3 -> 2.6" was once both "A harm on the product" and "A worse number".
    const quoted = c.stanceCues.filter((cue) => cue.words && !cue.reason.startsWith('written in')).map((cue) => squash(cue.words));
    // …nor one sentence twice, once clipped shorter ("Can we add X…" and "Can we add X, or is…").
    const bare = quoted.map((q) => q.replace(/…$/, ''));
    const overlapping = bare.some((x, i) => bare.some((y, j) => i !== j && x.length >= 20 && y.includes(x)));
    if (new Set(quoted).size !== quoted.length || overlapping) repeated.push(p.id);
    // A word the model weighed is quoted with its sentence: "Monaten" alone told a rep nothing.
    // Only a sentence of one word ("Finally!") is quoted alone.
    for (const cue of c.stanceCues) if (/in clinicians' posts$/.test(cue.reason) && !/\s/.test(cue.words.trim()) && !/[.!?]$/.test(cue.words)) lone.push(`${p.id}: "${cue.words}"`);
    for (const cue of [...c.stanceCues, ...c.adverseEvent.cues, ...(c.medicalQuestion?.cues ?? [])]) {
      if (!cue.words || cue.reason.startsWith('written in')) continue;
      // A long cue is clipped with "…", and a negation is shown with the word it scopes ("not …
      // impressed"): each piece must still be the post's own text.
      const pieces = squash(cue.words).replace(/…$/, '').split(' … ');
      if (!pieces.every((piece) => text.includes(piece))) misquoted.push(`${p.id}: "${cue.words}"`);
    }
  }
  expect(misquoted).toEqual([]);
  expect(repeated).toEqual([]);
  expect(lone).toEqual([]);
});

// ---- stance words, product masking, the general model (sentences written for these tests) ----

test('stance words: a negation marks the words after it (and their letter grams), to the end of its clause only', () => {
  const f = wordFeatures('The clinic was not impressed with the results. Nurses happy though.', products('Brandix'));
  expect(f).toContain('w:¬impressed');
  expect(f).not.toContain('w:impressed');
  expect(f).toContain('w:happy');
  expect(f).not.toContain('w:¬happy');
  // A word's letter 5-grams share its scope.
  expect(f).toEqual(expect.arrayContaining(['c:¬press', 'c:happy']));
  expect(f).not.toContain('c:press');
  expect(f).not.toContain('c:¬happy');
});

test('stance words: our product and other drugs become placeholders, so no product name is learnt', () => {
  const f = wordFeatures('Moved him from Brandix to adalimumab after 3 months.', products('Brandix'));
  expect(f).toEqual(expect.arrayContaining(['w:<product>', 'w:<drug>', 'w:<num>', 'b:to_<drug>']));
  expect(f.some((x) => /brandix|adalimumab/.test(x))).toBe(false);
});

test('drug names are told by their INN stems, not by a list of products', () => {
  for (const w of ['tezepelumab', 'zorvatinib', 'mavosartan', 'Lurbiglutide', 'felitrasentan', 'ovaricept']) expect(isDrugLike(w)).toBe(true);
  for (const w of ['concept', 'until', 'pencil', 'patient', 'capsule', 'intercept']) expect(isDrugLike(w)).toBe(false);
});

test('a post that names only the generic of a product never seen before is read as about ours', () => {
  const a = analyse('Third month on quorvatinib and the CT looks better.', { product: 'Quorvex' });
  expect(a.products.isOurs('quorvatinib')).toBe(true);
  expect(a.words).toContain('w:<product>');
});

test('stance features: stopping the product, keeping it, and another drug named are evidence of their own', () => {
  const ctx = { language: 'en' as const, kind: 'case_report' as const, adverseEvent: true, medicalQuestion: false, vader: null, isOurs: (w: string) => w.toLowerCase() === 'brandix' };
  expect(measure({ ...ctx, text: 'Rash on Brandix, we discontinued it after two weeks.' }).features['fam:stopped']).toBeGreaterThan(0);
  expect(measure({ ...ctx, text: 'Mild rash on Brandix, topical cream, staying on it.' }).features['fam:kept_on']).toBeGreaterThan(0);
  const other = measure({ ...ctx, text: 'Honestly tofacitinib was a letdown for her. Brandix next week.' });
  expect(other.features['fam:other_target']).toBeGreaterThan(0);
  expect(other.cues['fam:other_target']?.[0]?.words).toBe('tofacitinib');
});

test('everyday posts (no product, no clinical words) are read by the general model over VADER', () => {
  expect(classifyPost('The meeting moved to room 4 at 3pm.').stance).toBe('neutral');
  expect(classifyPost('Loved every minute of the concert last night, what a show!').stance).toBe('positive');
  expect(classifyPost('Worst commute ever, stuck on the train for two hours and furious.').stance).toBe('negative');
  const c = classifyPost('Loved every minute of the concert last night, what a show!');
  expect(c.stanceCues.some((q) => q.words && /loved|show/i.test(q.words))).toBe(true);
});

test('asking colleagues about a harm, with no verdict of its own, is a neutral question (and flagged for a check)', () => {
  const leansNegative = { positive: 0.1, neutral: 0.3, negative: 0.6 };
  const asks = { 'fam:asks_peers': 1 / 3, 'kind:question': 1, ae: 1 };
  expect(decide(leansNegative, asks)).toMatchObject({ stance: 'neutral', overruled: true });
  // With a verdict ("losing faith in it") the model's reading stands.
  expect(decide(leansNegative, { ...asks, 'fam:criticism': 1 / 3 })).toMatchObject({ stance: 'negative', overruled: false });
  expect(decide(leansNegative, { ae: 1 })).toEqual({ stance: 'negative', overruled: false, weak: false });
  const c = on('Pt got a new cough two weeks after starting Velorixan. Has anyone else seen this?');
  expect(c.stance).toBe('neutral');
});

test('access complaints told without the words "denied" or "shortage" still count as one', () => {
  const ctx = { language: 'en' as const, kind: 'opinion' as const, adverseEvent: false, medicalQuestion: false, vader: null };
  for (const text of ["Our pharmacy can't get Brandix for another 3 weeks and two pts have missed doses.", 'Brandix coinsurance is $900 per fill on their plan. Out of pocket, every month.'])
    expect(measure({ ...ctx, text }).features['fam:access_complaint']).toBeGreaterThan(0);
  expect(measure({ ...ctx, text: 'Brandix 200 mg tablets, once daily with food.' }).features['fam:access_complaint']).toBeUndefined();
});

test('a harm or a gripe blamed on something else (the system, another cause) is evidence of its own', () => {
  const ctx = { language: 'en' as const, kind: 'opinion' as const, adverseEvent: false, medicalQuestion: false, vader: null };
  expect(measure({ ...ctx, text: 'Clinic slots are 5 minutes now. Not a Brandix problem, a staffing one.' }).features['fam:not_the_drug']).toBeGreaterThan(0);
  expect(measure({ ...ctx, text: 'His cough turns out he had a cold. Nothing to do with Brandix.' }).features['fam:not_the_drug']).toBeGreaterThan(0);
  expect(measure({ ...ctx, text: 'Brandix gave my pt a rash, we stopped it.' }).features['fam:not_the_drug']).toBeUndefined();
});

test('sarcasm: a complaint that ends on a bare "Brilliant." or "Great, love it." is marked as such', () => {
  const ctx = { language: 'en' as const, kind: 'opinion' as const, adverseEvent: false, medicalQuestion: false, vader: null };
  expect(measure({ ...ctx, text: 'Forty minutes on hold so the insurer can re-check a Brandix refill. Brilliant.' }).features['fam:sarcasm']).toBeGreaterThan(0);
  expect(measure({ ...ctx, text: "Brandix is on backorder with 'no ETA'. Great, love it!" }).features['fam:scare_quotes']).toBeGreaterThan(0);
});

test('French, German and Spanish verdict words count in the polarity stage', () => {
  expect(on('Velorixan ist für meine Patienten ein Segen. Endlich Zielwerte erreicht.').stance).toBe('positive');
  expect(on('Cuatro meses esperando la aprobación de Velorixan para mi paciente. Inaceptable.').stance).toBe('negative');
});

test('unsure: a post with no evidence about the product beyond its kind and a hedge is weak evidence', () => {
  const confident = { positive: 0.1, neutral: 0.8, negative: 0.1 };
  expect(decide(confident, { 'fam:hedge': 1 / 3, 'kind:case_report': 1, 'lang:en': 1 }).weak).toBe(true);
  expect(decide(confident, { 'fam:praise': 1 / 3, 'kind:opinion': 1 }).weak).toBe(false);
  expect(on('Put two more pts on Velorixan this week. We will see.').unsure).toBe(true);
});

test("a post's words never read a word table's prototype: 'constructor', 'toString' and the like carry no valence", () => {
  // A plain object answered these with inherited functions, which made a post of such words
  // Positive. In every language's word table they must weigh exactly what any unknown word
  // weighs; the stance model has no weight for the words themselves (their letter 5-grams,
  // "<cons" as in "consider", are ordinary evidence, so the score is not an unknown word's).
  const PROTO = /constructor|tostring|valueof|hasownproperty|__proto__|isprototypeof/i;
  const unknown = (t: string) => t.replace(new RegExp(PROTO.source, 'gi'), 'zzqx');
  const model = weightRows((weights as StanceWeights).weights).index;
  for (const text of [
    'constructor toString valueOf hasOwnProperty __proto__ isPrototypeOf',
    'Zentiva constructor toString, been using it for a while',
    'Le constructor et toString du Zentiva chez nos patients.',
    'Der constructor und valueOf von Zentiva bei unseren Patienten.',
  ]) {
    const a = analyse(text), plain = analyse(unknown(text));
    expect(a.measured.features).toEqual(plain.measured.features);
    const wholeWords = a.words.filter((f) => !f.startsWith('c:') && PROTO.test(f));
    expect(wholeWords.length).toBeGreaterThan(0);
    for (const f of wholeWords) expect(model.has(f)).toBe(false);
    // The stance may differ from the zzqx text's: their letter 5-grams differ.
    expect(Number.isFinite(classifyPost(text).score)).toBe(true);
  }
  expect(classifyPost('constructor toString valueOf hasOwnProperty __proto__ isPrototypeOf').stance).toBe('neutral');
});
