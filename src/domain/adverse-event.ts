/**
 * Possible adverse event: a post that names a harm together with a treatment and either a
 * patient or a causal link ("after starting", "-induced"). Built for recall: a false alarm
 * costs a pharmacovigilance colleague a minute, a miss is a reporting failure. Pure.
 */
export interface AdverseEventResult {
  possible: boolean;
  /** What matched, by element: the card shows these so PV sees why it was flagged. */
  cues: { harm: string[]; product: string[]; patient: string[]; link: string[] };
}

const HARM_TERMS = [
  // General
  'adverse (?:drug )?(?:events?|reactions?|effects?)', 'side[- ]effects?', 'aes?', 'saes?', 'toxicit(?:y|ies)', 'toxic', 'intoleran(?:ce|t)',
  'overdos(?:e|ed|es)', 'died', 'death', 'deaths', 'fatal(?:ity)?', 'passed away', 'hospitali[sz](?:ed|ation)', 'admitted', 'icu', 'er visit',
  'reactions?', 'allerg(?:y|ic)', 'anaphyla(?:xis|ctic|ctoid)', 'angioedema', 'syndrome', 'complications?', 'injur(?:y|ies)', 'damage',
  // Skin
  'rash(?:es)?', 'hives', 'urticaria', 'itch(?:ing|y)?', 'prurit(?:us|ic)', 'dermatitis', 'eruptions?', 'exanthem\\w*', 'erythem\\w*', 'blister\\w*',
  'stevens[- ]johnson', 'sjs', 'toxic epidermal necrolysis', 'dress', 'alopecia', 'hair loss', 'photosensitivity', 'pigmentation', 'lesions?', 'ulcer\\w*',
  // GI, liver, kidney
  'nausea', 'nauseous', 'vomit\\w*', 'diarrh(?:o)?ea', 'constipation', 'abdominal pain', 'colitis', 'pancreatitis', 'bleed\\w*', 'ha?emorrhag\\w*',
  'hepat\\w*', 'liver (?:injury|failure|damage|toxicity)', 'jaundice', 'cholesta\\w*', 'elevated (?:lfts?|liver enzymes|transaminases|alt|ast|creatinine|cpk|ck)',
  'transaminit\\w*', 'nephr\\w*', 'renal (?:failure|injury|impairment|insufficiency|toxicity)', 'kidney (?:failure|injury|damage)', 'aki',
  // Blood, heart, vessels
  'neutropeni\\w*', 'thrombocytopeni\\w*', 'an(?:a)?emi\\w*', 'agranulocytosis', 'pancytopeni\\w*', 'leukopeni\\w*', 'myelosuppression', 'aplastic',
  'thrombo\\w*', 'embol\\w*', 'dvt', 'stroke', 'infarction', 'heart attack', 'arrhythmi\\w*', 'qtc? prolongation', 'prolonged qtc?', 'torsades?',
  'cardiomyopath\\w*', 'cardiotoxic\\w*', 'myocarditis', 'pericarditis', 'hypotension', 'hypertensi\\w*', 'bradycardi\\w*', 'tachycardi\\w*',
  'palpitations', 'vasculitis', 'edema', 'oedema', 'swelling', 'cardiac arrest',
  // Nervous system, mind
  'seizures?', 'convulsions?', 'encephalopath\\w*', 'neuropath\\w*', 'dizz\\w*', 'vertigo', 'headaches?', 'migraines?', 'fatigue', 'somnolence',
  'drowsiness', 'insomnia', 'tremors?', 'dyskinesi\\w*', 'akathisia', 'dystoni\\w*', 'extrapyramidal', 'parkinsonism', 'confusion', 'delirium',
  'hallucinat\\w*', 'psychosis', 'psychotic', 'depressi\\w*', 'suicid\\w*', 'mania', 'manic', 'neurotoxic\\w*', 'paralysis', 'palsy', 'coma',
  'ototoxic\\w*', 'hearing loss', 'deafness', 'tinnitus', 'vision loss', 'blurred vision', 'blindness', 'uveitis', 'retinopath\\w*', 'neuritis',
  // Metabolic, muscle, lung, other
  'hypoglyc(?:a)?emi\\w*', 'hyperglyc(?:a)?emi\\w*', 'hyperkal(?:a)?emi\\w*', 'hypokal(?:a)?emi\\w*', 'hypona?tr(?:a)?emi\\w*', 'lactic acidosis', 'acidosis',
  'rhabdomyolysis', 'myopath\\w*', 'myalgia', 'myositis', 'arthralgia', 'osteonecrosis', 'fractures?', 'pneumonitis', 'fibrosis', 'respiratory depression',
  'dyspnea', 'dyspnoea', 'bronchospasm', 'cough', 'fever', 'sepsis', 'infections?', 'lupus', 'hypothyroid\\w*', 'hyperthyroid\\w*', 'gynecomastia',
  'priapism', 'weight gain', 'necrosis', 'perforation', 'teratogen\\w*', 'birth defects?', 'miscarriage', 'serotonin syndrome',
  'neuroleptic malignant', 'capillary leak', 'cytokine release', 'crs', 'infusion reaction', 'injection site reaction', 'flare', 'relapse',
  // Words that carry the harm themselves
  '\\w+(?:itis|penia|emia|aemia|osis|pathy|algia|plasia|trophy|rrh(?:o)?ea|spasm|plegia|paresis|uria|cytosis)', '\\w+toxicity', 'induced',
  'hyper\\w+', 'hypo\\w+', 'hypersensitiv\\w*', '(?:elevat|increas|decreas|rais|low|high)\\w* (?:\\w+ )?(?:levels?|concentrations?|counts?|enzymes?|kinase|pressure|lfts?|inr)',
  'isch(?:a)?emi\\w*', 'glaucoma', 'prolongation', 'elevat\\w*', 'intoxicat\\w*', 'ileus', 'agitat\\w*', 'myoclon\\w*', 'fibrillation',
  'spasm\\w*', 'dead', 'symptoms?', 'hus', 'mi', 'arrest', 'collapse', 'shock', 'hypersensitivity', 'lethargi\\w*', 'apne\\w*', 'asthma\\w*', 'porphyri\\w*', 'myotonia', 'abnormal\\w*', 'impair\\w*', 'failure', 'loss of \\w+', 'dysfunction', 'worsening', 'worsened', 'exacerbat\\w*', 'sick', 'pain(?:ful)?',
];

const LINK_TERMS = [
  '\\w+[- ]induced', '\\w+[- ]associated', '\\w+[- ]related', 'induced by', 'caused by', 'causing', 'caused', 'due to', 'secondary to', 'attributed to',
  'associated with', 'related to', 'following', 'after (?:starting|taking|receiving|initiating|initiation of|the first|the second|his|her|their|a|one|two|three|\\d+)',
  'after', 'while (?:on|taking|receiving)', 'during (?:treatment|therapy|infusion)', 'since (?:starting|taking)', 'started on', 'on (?:his|her|their)?\\s*\\w+ (?:for|since)',
  'developed', 'experienced', 'presented with', 'resulted in', 'led to', 'reaction to', 'complication of', 'rechallenge', 'dechallenge',
  'discontinu\\w*', 'stopped', 'withdrawal of', 'reported', 'suffered', 'occurred', 'onset', 'treated with', 'receiving', 'therapy with', 'use of', 'exposure',
];

const PATIENT_TERMS = [
  'patients?', 'pts?', 'pt\\.', 'case', 'cases', 'subjects?', 'man', 'men', 'woman', 'women', 'boy', 'girl', 'child(?:ren)?', 'infants?', 'neonates?',
  'newborn', 'baby', 'adolescents?', 'elderly', '\\d+[- ]?(?:year|yr|month|week|day)s?[- ]old', '\\d+\\s?(?:yo|y/o|yof|yom|f|m)', 'my (?:pt|patient|mom|dad|wife|husband|son|daughter)',
  'he', 'she', 'his', 'her', 'they', 'i', 'my', 'we', 'our',
];

const PRODUCT_TERMS = [
  'drugs?', 'medications?', 'medicines?', 'meds', 'therap(?:y|ies)', 'treatments?', 'doses?', 'dosing', 'dosage', 'infusions?', 'injections?', 'vaccin\\w*',
  'chemo\\w*', 'immunotherapy', 'tablets?', 'pills?', 'regimen', 'agents?', 'inhibitors?', 'antibiotics?', 'steroids?', 'corticosteroids?', 'insulin',
  'administration', 'prescribed', 'dose', 'mg', 'mcg',
  // International non-proprietary name stems: most small molecules and biologics end in one.
  '\\w+(?:mab|nib|tinib|ciclib|parib|vir|cillin|mycin|micin|cycline|floxacin|oxacin|pril|sartan|statin|olol|azole|conazole|oxetine|triptyline|pramine|azepam|azolam|zepine|apine|idone|peridol|tidine|prazole|parin|platin|taxel|rubicin|trexate|fenac|profen|coxib|gliptin|glutide|gliflozin|formin|thiazide|semide|dipine|lukast|terol|sone|olone|lone|cort|thasone|umab|zumab|ximab|cept|kin|ase|plase|tide|relin|caine|barb|bital|dronate|phylline|setron|triptan|tropin|statin|vudine|navir|previr|asvir|buvir|amide|mustine|rafenib|lisib|tecan|poside|cristine|rabine|citabine|uracil|limus|sporin|mustard|arone|azine|amine|idine|oxin|ium|phen|quine|pam|lam|fen|vastatin)',
];

const compile = (terms: string[]) => new RegExp(`(?<![\\w-])(?:${terms.join('|')})(?![\\w])`, 'gi');
const HARM = compile(HARM_TERMS);
const LINK = compile(LINK_TERMS);
const PATIENT = compile(PATIENT_TERMS);
const PRODUCT = compile(PRODUCT_TERMS);

// "No serious adverse events" reports the absence of harm; it must not trip the flag on its own.
const NEGATED_HARM = /\b(?:no|without|zero|denies|denied|free\s+of)\s+(?:\w+\s+){0,2}?(?:adverse\s+(?:events?|reactions?|effects?)|side[-\s]effects?|aes|saes|toxicit(?:y|ies)|safety\s+signals?)\b/gi;

const uniq = (xs: string[]) => [...new Set(xs.map((x) => x.toLowerCase()))];
const matches = (re: RegExp, text: string) => uniq(text.match(re) ?? []);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * @param productNames brand and generic names the team follows (the mention's `product`);
 *   a drug-like word or treatment word also counts as the product being named.
 */
export function detectAdverseEvent(text: string, productNames: readonly string[] = []): AdverseEventResult {
  const scan = text.replace(NEGATED_HARM, ' ');
  const harm = matches(HARM, scan);
  const named = productNames.filter(Boolean).map((p) => new RegExp(`(?<![\\w])${escapeRegExp(p)}(?![\\w])`, 'gi'));
  const product = uniq([...named.flatMap((re) => scan.match(re) ?? []), ...matches(PRODUCT, scan)]);
  const patient = matches(PATIENT, scan);
  const link = matches(LINK, scan);
  // A causal link ("X-induced", "after starting") stands in for a named product or patient:
  // case reports and posts often leave one implicit.
  const possible = harm.length > 0 && (product.length > 0 || link.length > 0) && (patient.length > 0 || link.length > 0);
  return { possible, cues: { harm, product, patient, link } };
}
