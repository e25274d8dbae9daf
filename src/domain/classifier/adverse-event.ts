import type { AdverseEventFinding, Cue } from '../classification';
import { clip, first, hits, sentenceAt, weightRows, words, wordsRe, type Hit, type Span } from './text';
import type { Products } from './products';
import { detectAdverseEvent as detectCaseReportHarm } from '../adverse-event';
import { flagProbability, flagTokens, ngramFeatures, phraseLexicon, topFeatures, type FlagWeights } from './flag-model';
import adeTrained from './ade-weights.json';
import { adeFeatures } from './literature-ade';
import hcpTrained from './hcp-ae-weights.json';

/**
 * Possible adverse event: a real patient (the poster's, a colleague's, several, or the poster)
 * linked to a harm on or after our product, however mild, resolved or blamed on something
 * else: causality is PV's call. Built for recall: a false alarm costs PV a glance, a miss is a
 * reporting failure. What it is not: side effects in general or as trial and label figures,
 * negated harms ("no rash"), worries and what-ifs, harms from another drug or from before ours.
 *
 * Harm comes in four registers, each with its own words in en / fr / de / es: clinical terms,
 * everyday words, lab values past a threshold, and actions that imply it (held, admitted).
 */

const ADE_WEIGHTS = adeTrained as unknown as FlagWeights;
const ADE_LEXICON = phraseLexicon(ADE_WEIGHTS.lexicon);
const HCP_WEIGHTS = hcpTrained as unknown as FlagWeights;
const HCP_TRAINED = weightRows(HCP_WEIGHTS.weights).index.size > 0;

// ---- harm vocabulary ----

const CLINICAL = [
  // skin, mucosa, eyes
  'rash(?:es)?', 'acneiform', 'dermatitis', 'paronych\\w*', 'stomatitis', 'mucositis', 'mouth ulcers?', 'conjunctivitis', 'keratitis', 'blepharitis', 'dry eyes?', 'eye (?:issues|problems|irritation)',
  'urticaria', 'hives', 'pruritus', 'angio-?o?edema', 'angio-?œdème', 'angioödem\\w*', 'angioedema', 'erythema', 'facial (?:redness|erythema)', 'red cheeks', 'flushing', 'alopecia', 'hair loss', 'fissur\\w*',
  'herpes(?: labialis)?', 'cold sores?', 'eczema herpeticum', 'cellulitis', 'injection[- ]site (?:reactions?|swelling|pain|redness)', 'isrs?', 'site reactions?', 'nail tox\\w*',
  // GI, liver, kidney, metabolic
  'diarrh(?:o)?ea', 'diarrh\\w*', 'loose stools', 'watery stools', 'nausea', 'vomit\\w*', 'colitis', 'c\\. ?diff(?:icile)?', 'cdiff', 'clostridi\\w* difficile', 'dehydrat\\w*', 'hepatotox\\w*', 'hepatitis', 'transaminitis', "hy'?s law",
  'aki', 'acute kidney injury', 'renal (?:failure|injury|decline)', 'worsening renal function', 'hyperkal(?:a)?emi\\w*', 'hyperk', 'hypokal(?:a)?emi\\w*', 'hyponatr(?:a)?emi\\w*', 'eosinophilia', 'neutropeni\\w*', 'peaked t waves',
  // heart, vessels, lungs
  'hypotensi\\w*', 'orthostatic\\w*', 'syncope', 'qtc? prolongation', 'prolonged qtc?', 'torsades?', 'arrhythmi\\w*', 'bradycardi\\w*', 'pneumonitis', 'ild', 'interstitial lung disease', 'ground[- ]glass',
  'dyspn(?:o)?ea', 'cough', 'edema', 'oedema', 'swelling', 'swollen',
  // general, nervous system
  'fatigue', 'fatigued', 'dizz\\w*', 'vertigo', 'lightheaded\\w*', 'light-headed\\w*', 'headaches?', 'migraines?', 'syncop\\w*', 'falls?', 'fell', 'fracture', 'gout(?: flares?)?', 'anaphyla\\w*', 'allergic reaction',
  'adverse (?:event|reaction|effect)s?', 'side effects?', 'toxicit(?:y|ies)', 'tox', 'grade\\s*[1-4]\\s+\\p{L}+', 'g[1-4]\\s+\\p{L}+',
  'died', 'death', 'fatal', '(?:admitted to|in) (?:the )?icu', 'icu (?:admission|stay)',
  // broad clinical vocabulary, so a product whose side effects we have never listed still trips it
  'weight gain', 'gained \\d+ ?(?:kg|lbs?|pounds)', '(?:muscle )?cramps?', 'cramping', 'dry (?:skin|mouth|eyes?)', 'insomnia', "can'?t sleep", 'somnolen\\w*', 'drows\\w*', 'sedat(?:ed|ion)', 'tremors?', 'shak(?:y|iness)', 'restless(?:ness)?', 'akathisia', 'dyskinesi\\w*', 'jitter\\w*',
  'palpitations', 'racing heart', 'heart racing', 'tachycardi\\w*', '(?:av|heart) block', 'pause[sd]? on (?:tele|the monitor|holter)', 'hypertensive (?:urgency|crisis)', 'bp (?:spiked|through the roof)',
  'pe', 'dvt', 'vte', 'pulmonary embol\\w*', 'clots?', 'thrombo(?:sis|embol\\w*)', 'stroke', 'tia', 'bleed(?:s|ing)?', 'bruis\\w*', 'black stools', 'melena',
  'shingles', 'zoster', 'infections?', 'uri', 'pneumonia', 'pharyngitis', 'sore throat', 'thrush', 'candida(?!t)\\w*', 'utis?', 'sinusitis',
  'pancreatitis', 'gallstones?', 'cholecystitis', 'constipat\\w*', '(?:decreased|poor|no|lost (?:her|his|their)) appetite', 'abdominal pain', 'belly pain', 'stomach pain', 'bloating', 'heartburn', 'reflux',
  'hypoglyc(?:a)?emi\\w*', 'hypos', 'low sugars?', 'sugars? (?:in the|of) (?:[1-5]\\d|low)', 'hyperglyc(?:a)?emi\\w*', 'glucose (?:up|rose|climb\\w*|spik\\w*)',
  'joint pain', 'arthralgia', 'myalgia', 'muscle (?:pain|aches?)', 'aches', 'back pain', 'acne', 'pimples', 'breakouts?', 'blistering', 'blistered', 'peeling', 'flared', 'flares? (?:on|since|after|while)', 'hand-foot', 'photosensitiv\\w*', 'sunburn\\w*',
  'lymphopeni\\w*', 'leukopeni\\w*', 'thrombocytopeni\\w*', 'an(?:a)?emi[ac]\\w*', 'pancytopeni\\w*', 'agranulocytosis', 'low (?:counts|platelets|wbc|anc|hb|hgb|neutrophils)',
  'macular (?:o)?edema', 'blurr(?:y|ed|ing)', 'vision (?:changes|loss)', 'floaters', 'uveitis', 'tinnitus', 'hearing loss',
  'confus(?:ed|ion)', 'delirium', 'hallucinat\\w*', 'seizures?', 'numb(?:ness)?', 'tingling', 'neuropath\\w*', 'paresthesi\\w*', 'brain fog', 'foggy', 'mood (?:changes|swings)', 'depress(?:ed|ion)', 'suicidal\\w*', 'anxiety', 'agitat\\w*', 'irritab\\w*', 'nightmares',
  'myocarditis', 'pericarditis', 'cardiomyopath\\w*', 'ef (?:drop\\w*|fell)', 'heart failure (?:exacerbation|decompensation)', 'hepatitis', 'jaundice\\w*', 'nephritis', 'rhabdo\\w*', 'cpk (?:up|elevat\\w*|rise)', 'ck (?:up|elevat\\w*|rise|of \\d+)',
  '[\\p{L}]{3,}(?:itis|penia|pathy|algia|toxicity)', 'toxicité', 'toxizität', 'toxicidad', 'nebenwirkung\\w*', 'effets? (?:indésirables?|secondaires?)', 'efectos? (?:adversos?|secundarios?)', 'reacción adversa',
  // eyes, injections, and words HCPs use for harms on products we have never listed
  'retinal detachment', 'décollement de (?:la )?rétine', 'desprendimiento de retina', 'netzhautablösung', 'detachment', 'abrasion', '(?:intraocular |ocular )?inflammation', 'vitritis', 'endophthalmitis', 'vasculitis', 'occlusive', 'iop (?:spike|rise|up|jump\\w*)', 'pressure spike',
  'galactorrh\\w*', 'lumps?', 'nodules?', 'welts?', 'balloons', 'pacing', 'zombie', 'slurr?(?:s|ing|ed)?', 'sleeps? (?:through (?!(?:the |a |whole |entire )*nights?|without)|all day|\\d+ ?h)', 'breathless\\w*', 'short of breath', 'sob', 'flaring', 'flare-?ups?', 'kidney stones?', 'renal colic', 'metallic taste', 'dysgeusia', 'taste (?:changes|disturbance)', 'trichomegaly', 'spots', 'wrecked', 'in tears', 'rocky', 'crisis', 'ingrown', 'infected', 'retention', 'urinary retention', 'palsy', 'rigors', 'fevers?', 'chills',
  'ecchymos\\p{L}*', 'equimosis', 'hématomes?', 'hematomas?', 'hämatom\\p{L}*', 'ioi', 'uvéites?', 'uveítis', 'uveitis', 'hémorragie\\w*', 'hemorragia\\w*', '(?<!(?:mi|tu|su|la|esta|esa|una|nuestra|de|en) )zona', 'urticaire\\w*', 'œdèmes?', 'oedèmes?', 'épuisée?', 'perdu ses cheveux', 'chute de cheveux', 'ongles incarnés', 'infectée?s?', 'douleurs? articulaires', 'crampes', 'palpitations', 'calculs?', 'crise(?:s)? de goutte',
  'hinchad[oa]s?', 'hinchazón', 'duelen', 'le duele', 'articulaciones', 'se le cae el pelo', 'caída del pelo', 'ataques', 'brotes?', 'ronchas', 'habones', 'agotamiento', 'cálculos?', 'sangrado',
  '\\p{L}*(?:schmerzen|entzündung|ausschlag|schwellung|ödeme?|blutung|infektion|infekt)', 'schwindelig', 'abgeschlagen', 'haarausfall', 'nierensteine?', 'gichtanfall\\w*', 'anfälle', 'brennen', 'quaddeln', 'herzrasen',
  'sodbrennen', "brûlures? d'estomac", 'acidez', 'mal partout', 'réactions? locales?', 'reacci(?:ón|ones) locale?s?', 'lokalreaktion\\w*', 'stings?', 'stinging', 'burning', 'brûlures?', 'wheez\\w*', 'paradoxical worsening',
  'urgent care', 'in and out of (?:hospital|the ed|the er|urgent care)', '\\p{L}*anstieg', 'kaliumwert \\d+(?:[.,]\\d)?',
  'trockene haut', 'peau sèche', 'piel seca', 'gewichtszunahme', 'prise de poids', 'aumento de peso', 'schlaflos\\w*', 'insomnie', 'insomnio', 'krämpfe', 'crampes', 'calambres', 'zittern', 'temblor\\w*', 'tremblements',
  'somnolence', 'somnolencia', 'müde', 'fatigué', 'cansad[oa]', 'agotad[oa]', 'erschöpft', 'dolor\\w*', 'douleurs?', 'schmerz\\w*', 'infección', 'infektion\\w*', 'gürtelrose', 'culebrilla', 'hypoglykämi\\w*', 'hypoglycémi\\w*', 'hipoglucemi\\w*',
  // French
  'éruption', 'diarrhées?', 'paronychies?', 'conjonctivite', 'herpès(?: labial)?', 'pneumopathie(?: interstitielle)?', 'toux', 'vertiges?', 'malaise', 'chute de tension', 'hypotension', 'éosinophilie', 'nausées?', 'vomissements?', 'fatigue', 'œdème', 'oedème', 'désaturation', 'démangeaisons?',
  // German
  'ausschlag', 'durchfall', 'diarrhö', 'konjunktivitis', 'bindehautentzündung', 'husten', 'reizhusten', 'schwindel', 'übelkeit', 'erbrechen', 'stomatitis', 'hautausschlag', 'juckreiz', 'müdigkeit', 'kopfschmerzen', 'nagelbettentzündung', 'eosinophilie', 'hyperkaliämie', 'hypotonie', 'kreislauf im keller', 'angioödem',
  // Spanish
  'erupción', 'diarrea', 'conjuntivitis', 'tos(?: seca)?', 'mareos?', 'mareada', 'náuseas', 'vómitos', 'cansancio', 'hipotensión', 'herpes labial', 'eosinofilia', 'hiperpotasemia', 'neumonitis', 'picor', 'dolor de cabeza',
  // Harms by their medical word shape, in the four languages, so a product whose side effects
  // no dev part names still trips the rules (inflammation, low counts, salts out of range,
  // organ damage, pain, discharge, swelling): the disease and negation checks still apply.
  '(?:conjonctiv|kérat|uvé|vascular|hépat|cyst|gastr|pancréat|méning|arthr|stomat|mucos|[œo]esophag|néphr|cellul|sinus|pharyng|bronch|myocard|péricard|gingiv|tendin|follicul|encéphal|myos|derm)ites?',
  '\\p{L}{3,}(?:itis|penias?|pénies?|penien?|pathy|pathies|pathie|pathien|patía|patías|algias?|algies?|algien|rrh(?:o)?ea|rrhée|rrhö|rrea|o?edema|ödeme?|œdème|edemas?|toxicité|toxizität|toxicidad)', '(?:hyper|hypo|hiper|hipo)\\p{L}{3,}(?:a?emias?|émies?|ämien?|emien?)', 'an(?:a)?emi(?:a|c)', 'anémi(?:e|que)', 'anämi\\p{L}*',
  '(?:thrombo|necro|fibro|steato|(?:keto-?)?acido|osteonecro)sis', '(?:thrombose|nécrose|fibrose|acidose|trombosis|thrombosen?|nekrose)',
  // More medical word shapes (hearing, taste, swallowing, breathing, movement, bleeding, heart
  // rate), and the inflections of everyday symptom words, so a harm on a product whose side
  // effects no list names still trips the rules.
  '\\p{L}{2,}(?:acusis|acousie|akusis|geusia|geusie|osmia|osmie|phagia|phagie|phonia|phonie|pn(?:o)?ea|pnée|pnoe|kines(?:ia|ie|ias|ies)|tonia|tonie|plegia|plégie|plegie|paresis|parésie|parese|spasms?|spasmes?|spasmen|rrhag(?:e|es|ia)|rragias?|rragie|emesis|cardia|cardie|kardie)',
  'ach(?:e|es|ed|ing|y)', 'shiver\\p{L}*', 'swell(?:s|ed)?', 'hurt(?:s|ing)?', 'bled', 'nause(?:ous|ated|ating)', 'covid(?:-19)?', 'influenza',
  'gonfl\\p{L}*', 'geschwollen\\p{L}*', '(?:barely|hardly|not|stopped) eating', 'off (?:her|his|their) food', 'ne mange plus', 'kaum appetit', 'appetitlos\\p{L}*', 'sin apetito', "tast(?:e|es|ed|ing) (?:of |like |metallic|funny|off|weird|strange|bitter)", '(?:hair (?:is |was )?)?shedding',
  'sleeps? (?:most|all) (?:afternoons?|mornings?|days?)', 'dort \\d+ ?h\\p{L}*', 'erosions?', 'érosions?', 'erosiones', 'muddled',
  // Weight put on: "4 kg up", "3 kg más", "il a pris 6 kg", "5 kg zugenommen".
  '(?:gained|put on|\\+)\\s*\\d+(?:[.,]\\d)?\\s*(?:kg|lbs?|pounds)', '\\d+(?:[.,]\\d)?\\s*(?:kg|lbs?) (?:up|more|heavier|más|de plus|mehr|zugenommen)', 'pris \\d+(?:[.,]\\d)?\\s*kg',
  'hearing (?:loss|problems?|issues?|impairment|changes?)', "can'?t hear", 'ringing in (?:her|his|their|the|my) ears?', 'hair (?:is |was )?(?:coming|falling) out', '(?:losing|lost) (?:her|his|their|my) hair', 'thinning hair', 'hair thinning',
  // neurology and psychiatry
  'convulsions?', 'convulsiones', 'krampfanf(?:a|ä)ll\\p{L}*', "crises? d'épilepsie", 'ataxi\\p{L}*', 'unsteady', 'wobbly', 'memory (?:loss|problems|issues|lapses)', 'forgetful\\p{L}*', 'word[- ]finding', 'twitch\\p{L}*', 'spasms?', 'paralys\\p{L}*', 'weakness',
  'sleepy', 'sleepwalk\\p{L}*', 'vivid dreams', 'manic', 'mania', 'psychos[ie]s', 'psychotic', 'panic attacks?', 'apath\\p{L}*', 'emotional(?:ly)? (?:blunt\\p{L}*|flat)', 'libido', 'sexual (?:dysfunction|side effects)', 'erectile', 'aggressi(?:on|ve)', 'self[- ]harm',
  'somnolent', 'schläfrig', 'somnoliento', 'somnolente', 'cauchemars', 'pesadillas', 'albträume', 'idées suicidaires', 'ideación suicida', 'suizidgedanken', 'verwirrt', 'confusa?o?', 'désorienté\\p{L}*',
  // lungs and breathing
  'bronchospasm\\p{L}*', 'chest tightness', 'tight chest', 'throat (?:tightness|swelling|closing|closed)', 'hoarse\\p{L}*', 'dysphoni\\p{L}*', 'exacerbations?', 'desaturat\\p{L}*', 'disnea', 'dyspnée', 'atemnot', 'luftnot', 'essouffl\\p{L}*', 'ahogo', 'sibilancias', 'sifflements?',
  // bone and muscle
  'fractur\\p{L}*', 'broke (?:her|his|a|their) (?:hip|wrist|arm|leg|femur|ankle|rib)', 'bone pain', 'jaw (?:pain|necrosis|osteonecrosis)', 'onj', 'hypocalc\\p{L}*', 'hipocalcemia', 'knochenbruch', 'fraktur\\p{L}*', 'muscle weakness',
  // gut, kidney, blood, infection, skin, allergy
  'bloody (?:stools|diarrh\\p{L}*)', 'rectal bleeding', 'mouth sores', 'ulcers?', 'ulcères?', 'úlceras?', 'h(?:a)?ematuria', 'oliguri\\p{L}*', 'petechi\\p{L}*', 'transfus\\p{L}*', 'sepsis', 'septic', 'abscess\\p{L}*', 'tuberculos\\p{L}*', 'opportunistic',
  'fièvre', 'fieber', 'fiebre', 'hypersensitiv\\p{L}*', 'hypersensibilité', 'hipersensibilidad', 'überempfindlichkeit', 'allergic', 'réaction allergique', 'allergische reaktion', 'reacción alérgica', '(?:lips?|tongue|face|eyelids?) (?:swell\\p{L}*|swollen|puffy)', 'swollen (?:lips?|tongue|face|eyelids?|ankles|legs|feet)', 'puffy',
  'intoleran\\p{L}*', 'intolérance', 'unverträglich\\p{L}*', "couldn'?t tolerate", "can'?t tolerate", 'unwell', 'malade', 'krank',
];

const EVERYDAY = [
  'wiped out', 'exhausted', 'tired', 'napping', "can'?t keep (?:anything|food) down", "can'?t eat", 'isst kaum', 'trinkt kaum', 'no consigue comer', 'ne peut plus rien manger', 'ne pouvait plus rien manger',
  'passed out', 'nearly passed out', 'faint(?:ed|ing)?', 'room spins', 'feel(?:s|ing)? awful', 'made (?:him|her|them|me) feel (?:awful|sick|terrible|like)', 'feel like (?:i|she|he)(?:\'ve| has| have)? been hit', 'hit by a truck', 'not (?:myself|herself|himself)',
  'stools? a day', 'stools', "(?:hasn'?t|has not|haven'?t|wasn'?t|was not) (?:been )?able to", "didn'?t agree with (?:me|her|him|them)", 'knocked (?:him|her|me|them) (?:out|flat|off)', 'wiped (?:him|her|me|them) out', 'sick as a dog', 'throwing up', 'threw up', 'puking', 'the runs', "couldn'?t leave the bathroom", 'hurts?', 'sore', 'oozing', 'bleeding', 'cracked', 'itchy', 'itching', 'red,? (?:hot|gritty|itchy|sore)', 'gritty', 'sticky eyes', 'blurr(?:y|ed) vision', 'full of sand',
  'nosebleeds?', 'hiccups?', 'hangover', 'the flu', 'flu-like', 'felt (?:awful|terrible|horrible|rough|off|weird|sick|faint|dizzy|wired)', 'feeling (?:awful|terrible|horrible|rough|off|weird|sick|faint|dizzy)', 'miserable', 'struggle[ds]? with', 'brutal', "can'?t (?:button|hold|drive|work|sleep|get through)", "couldn'?t (?:drive|work|eat|sleep|put)", 'meet the floor', 'on the floor',
  'como mareada', 'sin fuerzas', 'geht es schlecht', 'kein appetit', 'se encuentra fatal', 'ne supporte pas', 'verträgt (?:es|das) nicht', 'no lo tolera',
];

/** Actions and events that imply a harm on the drug. */
const IMPLIED = [
  'had to (?:stop|drop|hold|reduce|cut|come off|switch)', 'dose[- ](?:reduc\\w*|hold|cut|got cut|decrease\\w*)', 'reduc(?:ed|tion) to \\d+', 'dose reductions?', 'drop(?:ped)? (?:it |him |her )?(?:back )?to \\d+',
  'titrating down', 'dose got cut', 'held (?:it|the drug|both|drug)', 'drug held', 'holding (?:it|the drug)', 'holding', 'held', 'stopped (?:it|taking|her|his)', 'we stopped it', 'all stopped', 'off (?:it|drug) (?:in|for|after)',
  "d/c'?d", 'discontinued', 'had to (?:pause|pull|take (?:\\p{L}+ )?off|switch)', 'take (?:\\p{L}+ )?off', 'pull(?:ed)? (?:it|him|her|them)', 'lasted \\d+ (?:days|weeks)', 'stopped at (?:day|week|wk) \\d+', '(?:needed|required) (?:a )?dose reductions?', 'on hold', 'bailed', 'dropped it', 'lo dejó', 'la dejó', "couldn'?t stay on", 'gave up on', 'refuses', "won'?t take", 'never again', "can'?t be on", 'tapering off', 'taper(?:ed|ing)? (?:it )?off', 'went back to', 'back to (?:the|his|her)? ?(?:old|previous)', 'on a arrêté', 'on arrête', 'abgebrochen', 'lo retiramos', 'lo suspendimos', 'dejó de tomar\\w*', 'had to (?:be )?(?:admitted|hospitali[sz]ed)', 'switched (?:him|her|them) (?:off|back)', 'stopped (?:taking )?(?:the )?(?:drug|med|medication|injections?|pen)', 'permanently (?:off|discontinued)', 'came off', 'ended up in the (?:ed|er|hospital|icu)', 'landed (?:him|her|them) in the (?:ed|er|hospital)', 'in the (?:ed|er) for', 'back in the (?:ed|er)', 'sent (?:him|her|them)? ?(?:to|back to) the (?:ed|er)',
  'admitted', '(?:re)?admissions?', 'hospitali[sz]ed', 'in triage', 'iv fluids', 'reported (?:it|to (?:pv|the mfr|mfr|pharmacovigilance))', 'reported to', 'dose hold',
  'arrêt(?: définitif)?', 'arrêter', 'on a dû réduire', 'redescend', 'hospitalisée?', 'déclaré à la pharmacovigilance', 'pausiert', 'stationär(?:e)? (?:aufgenommen|aufnahme)', 'abgesetzt', 'reduziert',
  'suspend\\w*', 'lo dejaron', 'terminó en urgencias', 'urgencias', 'bajamos',
  // Stopped for a reason, dropping out, a visit to the emergency department.
  '(?:stopped|quit|dropped out|discontinued|came off|bailed|lo dej(?:ó|aron)|l\'ont arrêté|arrêté|abgebrochen|abgesetzt) (?:\\p{L}+ ){0,2}(?:for|because|due to|after|por|pour|à cause|wegen)', 'drop-?outs?', '(?:ed|er|a&e) visits?', 'in resus',
];

/** Every harm word the rules look for (exported so training can ask which each one catches). */
export const HARM_VOCABULARY: readonly string[] = [...CLINICAL, ...EVERYDAY, ...IMPLIED];
const HARM = words(HARM_VOCABULARY);

// Lab values past a threshold: the number decides.
interface Lab {
  name: string;
  re: RegExp;
  bad: (m: RegExpExecArray) => boolean;
  /** The pattern reads a change (two values), not a single value. */
  change?: boolean;
}
/** A value that then moves, by arrow or in words ("95 → 180", "8,1 à 11,6", "5.9 to 4.8", "34 auf 18"). */
const ARROW_NEXT = /^\s*(?:[\p{L}µ/%]+\s*)?(?:->|→|(?<![\p{L}])(?:to|à|a|auf)(?![\p{L}]))\s*\d/u;
const num = (s: string | undefined) => Number((s ?? '').replace(',', '.'));
const UP_BAD = /^(?:alt|ast|bili\w*|creat\w*|créatinine|kreatinin|glucose|glucemia|glykämie|glycémie|fasting glucose|a1c|hba1c|weight|poids|gewicht|peso|prolactin\w*|triglycerides?|tg|ldl|lipase|proteinuria|protéinurie|proteinurie|proteinuria|upcr|uacr|amylase|cpk|ck|inr|iop|eos\w*|pio|k|potassium|kalium|potasio|uric acid)$/i;
const DOWN_BAD = /^(?:neutrophiles|neutrófilos|neutrophile|linfocitos|leucocitos|leucocytes|fréquence cardiaque|frecuencia cardiaca|hb|hgb|ha?emoglobin\w*|hémoglobine|hämoglobin|hemoglobina|platelets?|plt|plaquettes|thrombozyten|plaquetas|anc|neutrophils?|neutrophiles|lymphocytes?|lymphocyte count|lymphos?|alc|wbc|leukocytes?|egfr|gfr|dfg|tfg|na|sodium|hr|heart rate|pulse|fc|herzfrequenz|ef|lvef|fevi|sats?|spo2|va|visual acuity)$/i;
const LAB_NAMES = '(?:alt|ast|bili(?:rubin)?|creat(?:inine)?|créatinine|creatinina|kreatinin|neutrophiles|neutrófilos|neutrophile|linfocitos|leucocitos|leucocytes|fréquence cardiaque|frecuencia cardiaca|fasting glucose|glucose|glucemia|glykämie|glycémie|hba1c|a1c|weight|poids|gewicht|peso|prolactin|triglycerides|tg|ldl|lipase|proteinuria|protéinurie|proteinurie|upcr|uacr|amylase|cpk|ck|inr|iop|pio|eos(?:inophils)?|hb|hgb|ha?emoglobin|hémoglobine|hämoglobin|hemoglobina|platelets|plt|plaquettes|thrombozyten|plaquetas|anc|neutrophils|lymphocyte count|lymphocytes|lymphos|alc|wbc|egfr|gfr|dfg|tfg|na|sodium|hr|heart rate|pulse|fc|herzfrequenz|lvef|ef|fevi|spo2|sats?|k|potassium|kalium|potasio)';
const LAB_CHANGE = new RegExp(`(?<![\\p{L}])(${LAB_NAMES})(?![\\p{L}])[^\\d\\n.;]{0,40}?(?:from\\s+|von\\s+|de\\s+)?(\\d[\\d,]*(?:[.,]\\d+)?)\\s*(?:%|kg|mg\\/dl|mmol\\/l|g\\/dl|bpm)?\\s*(?:->|→|to|a|auf|à)\\s*(\\d[\\d,]*(?:[.,]\\d+)?)`, 'giu');
const LAB_LOW = /(?<![\p{L}])(anc|neutrophils|neutrophiles|neutrófilos|neutrophile|lymphocyte count|lymphocytes|linfocitos|lymphos|alc|hr|heart rate|fc|fréquence cardiaque|frecuencia cardiaca|herzfrequenz|plt|platelets|plaquettes|plaquetas|thrombozyten|hb|hgb)(?![\p{L}])\s*(?:of|at|was|is|now|dropped to|dipped to|fell to|down to|de|von|à|a|bei|en|auf)?\s*(\d[\d,]*(?:[.,]\d+)?)/giu;
const LAB_MOVED = new RegExp(`(?<![\\p{L}])(?<!\\b(?:Mr|Mrs|Ms|Mx|Dr|Mme|Herr|Frau|Sr|Sra)\\.? )(${LAB_NAMES})(?![\\p{L}])\\s+(?:has |had |have )?(rose|jumped|climbed|climbing|went up|going up|up|increased|increasing|rising|spiked|doubled|tripled|shot up|crept up|creeping up|creeping|trending up|elevated|raised|high|dropped|dropping|fell|falling|dipped|down|decreased|halved|plummeted|crashed|low)(?![\\p{L}])`, 'giu');
const labWorse = (name: string, a: number, b: number): boolean => {
  const n = name.toLowerCase();
  if (!(a > 0) || !(b > 0)) return false;
  if (UP_BAD.test(n)) return b >= a * 1.1;
  if (DOWN_BAD.test(n)) return b <= a * 0.85;
  return false;
};
const labLow = (name: string, v: number): boolean => {
  const n = name.toLowerCase();
  if (/^(?:hr|heart rate|fc|herzfrequenz|fréquence cardiaque|frecuencia cardiaca)$/.test(n)) return v > 0 && v < 50;
  if (/^(?:plt|platelets|plaquettes|plaquetas|thrombozyten)$/.test(n)) return v > 0 && v < 100;
  if (/^(?:hb|hgb)$/.test(n)) return v > 0 && v < 10;
  // ANC and lymphocytes written as 1,100 or 0.3 (×10⁹/L)
  const x = v >= 100 ? v / 1000 : v;
  if (/^(?:anc|neutrophils|neutrophiles|neutrófilos|neutrophile)$/.test(n)) return x > 0 && x < 1.5;
  return x > 0 && x < 0.8;
};

const LABS: Lab[] = [
  { name: 'QTc', change: true, re: /\bQTc?\b[^\d\n]{0,20}?(?:(\d{3})\s*(?:->|→|to|a|auf)\s*)?(\d{3})\b/giu, bad: (m) => num(m[2]) >= 470 },
  { name: 'potassium', change: true, re: /(?<![\p{L}])(?<!\b(?:Mr|Mrs|Ms|Mx|Dr|Mme|Herr|Frau|Sr|Sra)\.? )(?:K\+?|potassium|kalium(?:wert|spiegel)?|potasio)\s*(?:of|at|was|is|now|came back|went to|de|von)?\s*(?:[\d.,]+\s*(?:->|→|to|auf)\s*)?(\d(?:[.,]\d)?)(?![\d])/giu, bad: (m) => num(m[1]) >= 5.1 || (num(m[1]) > 0 && num(m[1]) <= 3.2) },
  { name: 'sodium', re: /\b(?:Na|sodium)\s*(?:of|at|was|is|now)?\s*(1[0-3]\d)\b/giu, bad: (m) => num(m[1]) <= 132 },
  { name: 'blood pressure', re: /(?<![\p{L}])(?:BP|TA|PA|RR|blood pressure|tension(?: à)?|Blutdruck)\s*(?:of|at|now|is|was|a|de|à|:)?\s*(?:\p{L}+\s+)?(\d{2,3})\s*\/\s*(\d{2,3})/giu, bad: (m) => num(m[1]) < 100 },
  { name: 'liver enzymes', re: /(?<![\p{L}])(?:ALT|AST|GPT|GOT|ALAT|ASAT|LFTs?|transaminases?)\b[^.\n]{0,12}?(\d+(?:[.,]\d)?)\s*(?:x|×|times|veces)\s*(?:el\s+)?(?:ULN|the ULN|upper|límite|LSN)/giu, bad: (m) => num(m[1]) >= 2 },
  { name: 'liver enzymes', re: /(?<![\p{L}])(?:ALT|AST|GPT|GOT|ALAT|ASAT)\s*(\d{3,4})\b/giu, bad: (m) => num(m[1]) >= 120 },
  { name: 'bilirubin', re: /\bbili(?:rubin)?\s*(\d(?:[.,]\d)?)\b/giu, bad: (m) => num(m[1]) >= 2 },
  { name: 'creatinine', change: true, re: /(?<![\p{L}])(?:creat(?:inine)?|créatinine|kreatinin|creatinina)\s*(?:went\s*|from\s*|von\s*|de\s*|rose\s*|(?:rose|went|increased|climbed|pasó|subió|passée?|est passée?|stieg|ist)\s+(?:from|de|von|up from)\s*)?(\d+(?:[.,]\d+)?)\s*(?:mg\/dl|µmol\/l)?\s*(?:->|→|to|auf|a|à)\s*(\d+(?:[.,]\d+)?)/giu, bad: (m) => num(m[2]) >= num(m[1]) * 1.2 },
  { name: 'creatinine', re: /(?<![\p{L}])(?:creat(?:inine)?|kreatinin|créatinine|creatinina)\s+(?:up|rise|rising|bumps?|doubled|verdoppelt|calls|climbing|jump\w*)|(?:creatinine|creat)\s+(?:went\s+)?up|(?:up|rise) in creat\w*|creatinine bumps?/giu, bad: () => true },
  { name: 'eosinophils', re: /(?<![\p{L}])(?:eos|eosinophils?|éosinophilie|eosinophilie|eosinofilia)\b[^\d\n]{0,16}?(?:[\d.,]+\s*(?:->|→|to)\s*)?(\d+(?:[.,]\d+)?)(?![\d])/giu, bad: (m) => { const v = num(m[1]); return (v >= 50 ? v / 1000 : v) >= 1.0; } },
  { name: 'eGFR', change: true, re: /\beGFR\s*(\d{2,3})\s*(?:->|→|to)\s*(\d{1,3})/giu, bad: (m) => num(m[2]) <= num(m[1]) * 0.75 },
  // Any safety lab that moved the wrong way by a fifth or more ("Hb 13.1 -> 10.2", "A1c 5.6 -> 6.3").
  { name: 'lab change', re: LAB_CHANGE, change: true, bad: (m) => labWorse(m[1]!, num(m[2]!.replace(/,(?=\d{3})/, '')), num(m[3]!.replace(/,(?=\d{3})/, ''))) },
  { name: 'lab value', re: LAB_LOW, bad: (m) => labLow(m[1]!, num(m[2]!.replace(/,(?=\d{3})/, ''))) },
  // A safety lab said to have moved the wrong way, without numbers ("eGFR dropped to 28", "lipase tripled").
  { name: 'lab change', re: LAB_MOVED, bad: (m) => (UP_BAD.test(m[1]!) && /^(?:rose|jumped|climb|went up|going up|up|increas|rising|spiked|doubled|tripled|shot up|crept up|creeping|trending up|elevated|raised|high)/i.test(m[2]!)) || (DOWN_BAD.test(m[1]!) && /^(?:dropp|fell|falling|dipped|down|decreased|halved|plummeted|crashed|low)/i.test(m[2]!)) },
  { name: 'eye pressure', re: /(?<![\p{L}])(?:iop|augeninnendruck|pio|pression intraoculaire|presión intraocular)(?![\p{L}])[^\d\n]{0,24}?(\d{2})(?!\d)/giu, bad: (m) => num(m[1]) >= 25 },
  // CK several times the upper limit (about 200 U/L).
  { name: 'CK', re: /(?<![\p{L}])(?:ck|cpk|créatine kinase|creatine kinase|creatina quinasa|kreatinkinase)(?![\p{L}])\s*(?:of|at|was|is|de|von|à|a)?\s*(\d{3,5})(?!\d)/giu, bad: (m) => num(m[1]) >= 600 },
  // Pancreatic enzymes three times the upper limit (about 60 U/L).
  { name: 'pancreatic enzymes', re: /(?<![\p{L}])(?:lipase|amylase|lipasa|amilasa)\s*(?:of|at|was|is|now|de|von|à|a)?\s*(\d{3,5})(?!\d)/giu, bad: (m) => num(m[1]) >= 180 },
  // Blood pressure high, or up by 15 mmHg or more ("138/82 → 158/92", "TA de 138/82 à 158/92").
  { name: 'blood pressure', change: true, re: /(?<![\p{L}])(?:BP|TA|PA|RR|blood pressure|tension(?: artérielle)?|Blutdruck)\s*(?:(?:readings?|values?|home|at home|running|sitting)\s+)?(?:of|at|now|is|was|a|de|à|:|von|around|about|~)?\s*(?:(\d{2,3})\s*\/\s*\d{2,3}\s*(?:mm\s*hg\s*)?(?:->|→|to|a|à|auf|,\s*(?:now\s*)?)\s*)?(\d{2,3})\s*\/\s*(\d{2,3})/giu, bad: (m) => (m[1] ? num(m[2]) >= num(m[1]) + 15 && num(m[2]) >= 140 : num(m[2]) >= 165 || num(m[3]) >= 105) },
  // Antibody level low (hypogammaglobulinaemia): g/L when small, mg/dL otherwise.
  { name: 'IgG', re: /(?<![\p{L}])IgG\s*(?:of|at|was|is|now|de|von|à|a)?\s*(\d+(?:[.,]\d+)?)(?![\d])/giu, bad: (m) => { const v = num(m[1]); return v > 0 && (v <= 20 ? v < 4 : v < 400); } },
  // Glucose out of range: mmol/L when small, mg/dL otherwise.
  { name: 'glucose', re: /(?<![\p{L}])(?:(?:fasting |random )?(?:blood )?glucose|blood sugar|sugars?|bgs?|glycémie|glucemia|blutzucker(?:wert)?|glukose)(?: nüchtern| à jeun| en ayunas)?\s*(?:of|at|was|is|now|de|von|à|a|bei)?\s*(\d+(?:[.,]\d+)?)(?![\d])/giu, bad: (m) => { const v = num(m[1]); return v > 0 && (v <= 40 ? v >= 10 || v <= 3.5 : v >= 180 || v < 60); } },
  { name: 'oxygen saturation', re: /(?:sats?|SpO2|désaturation à|saturation)\s*(?:of|at|à|de)?\s*(\d{2})\s*%/giu, bad: (m) => num(m[1]) < 92 },
];

// ---- exclusions ----

const NEGATION = /(?:^|[^\p{L}])(?:no|not|never|without|denies|denied|zero|nor|free of|none|no one|nobody|neither|no longer|no more|fewer|less|stopped being|minimi[sz]e|reduce|plus d[e']|plus d’|ya no|dejó de|sin|ni|ningún|ninguna|ninguno|nadie|menos|ahorra|evita|sans|ni|aucun|aucune|pas de|personne|moins|kein|keine|keinen|keiner|keinerlei|nie|niemals|nada de|nunca|jamais|cannot recall|can'?t recall|can'?t remember|don'?t recall|never (?:had|seen|saw)|haven'?t (?:had|seen)|no recuerdo|n['’](?:a|ont|avait|avaient|est|y a) (?:plus|pas|jamais)|ohne|nicht|niemand|weniger|saves?|spares?|spared|avoids?|avoided|prevents?|prevented|instead of)\s+(?:[\p{L}'-]+\s+){0,3}(?:\p{L}{1,2}['’])?$/iu;
/**
 * "hurts less", "rash better", "cough is much less bothersome", "exacerbations down from 4 a year
 * to 1", "las consultas por sangrado se han reducido": a comparison or an improvement, not a new harm.
 */
const LESSENED_AFTER = /^(?:[\s\p{L}-]{0,3}|\s+(?:(?:is|was|are|were|has|have|had|got|getting|been|now|much|far|way|a lot|lot|a bit|so|se|han|ha|sont|est|ont|sind|ist|hat|haben|deutlich|nettement|mucho|bien)\s+){1,3})(?:less|fewer|better|improved|resolving|gone|down (?:from|to|by|\d)|halved|reducid[oa]s?|réduite?s?|baissée?s?|reduziert|zurückgegangen|weg|verschwunden|disparue?s?|desaparecid[oa]s?|melt(?:ed)? away|vanished|disappeared|(?:has|had)n'?t come back|has not come back|a fondu)(?![\p{L}])|^[^.;!?\n]{0,20}?\bto (?:0|zero|none)(?![\d\p{L}])/iu;
/** Disease qualifiers: "atopic dermatitis", "ulcerative colitis" are the indication, not a harm. */
const DISEASE_BEFORE = /(?:^|[^\p{L}])(?:(?:post|s\/p)[- ]?|status post |(?:yellow|atopic|atopische[nr]?|rheumatoid|ulcerative|psoriatic|ankylosing|chronic|allergic|eosinophilic|seborrh?eic|contact|severe ad|ad)\s+)$/iu;
const DISEASE_AFTER = /^\s*(?:amarilla|jaune|(?:was|is|were|are) (?:her|his|their|the|a|my) (?:worst |main |biggest |presenting |first |key |only )?(?:\p{L}+ )?(?:symptoms?|complaints?|signs?|features?|problems?)(?![\p{L}])|(?:was|is) (?:the|what) (?:\p{L}+ ){0,2}(?:that|which) (?:got|put|brought|led) |atópica|atopique|atopica|ulcerosa|ulcéreuse|reumatoide|rhumatoïde|(?:patients?|pts|clinic|population|cohort|nurse|care|specialists?|guidelines?|therapy|treatment|breakthrough|space|market|indication|drugs?|meds|pathway|recs|sprechstunde|patienten|pacientes)(?![\p{L}]))/iu;
/** "a pt with hx of herpes", "used for her alopecia": a pre-existing condition or the reason to treat. */
const CONDITION_BEFORE = /(?:(?:pts?|patients?|someone|people|man|woman|kids?|child(?:ren)?|adults?|y\/?o|yo|paciente|niñ[oa]|patient(?:in|en|e)?|jährige[nrm]?)\s+(?:with|w\/|con|avec|mit)\s+(?:[\p{L}'-]+[\s-]+){0,3}|(?:using|use|used|try|trying|tried|giving|give|indicated|approved|prescrib\w*|treat\w*|start\w*)\s+(?:[\p{L}'-]+\s+){0,3}(?:for|in)\s+(?:[\p{L}'-]+\s+){0,2})$/iu;
/** "pt with eosinophilia at wk 12", "Patient mit Angioödem unter X": an event on a drug, not a condition. */
const AFTER_EVENT = /^\s*(?:at|since|after|on|from|while|under|unter|sous|bajo|nach|depuis|desde|seit|\d)/iu;
const inHashtag = (text: string, index: number): boolean => {
  let i = index - 1;
  while (i >= 0 && /[\p{L}\p{N}_]/u.test(text[i]!)) i--;
  return i >= 0 && text[i] === '#';
};
/** A question about what to expect in general ("any difference in ... ISRs?"). */
const ANY_BEFORE = /(?:^|[^\p{L}])(?:any|anything)\s+(?:[\p{L}-]+\s+){0,3}$/iu;
/** Before our product was started: the harm is the patient's history (anywhere in the sentence). */
const BEFORE_OURS = words([
  'before (?:we |i |she |he |they )?(?:ever |even |actually )?(?:start\\w*|initiat\\w*|began|switch\\w*)', 'before (?:the )?first (?:dose|injection|infusion)', 'before any', 'prior to (?:start\\w*|initiat\\w*)',
  "(?:that'?s|that is|it'?s|it is|was|is) (?:the|her|his|their) (?:disease|illness|condition|\\p{L}{2,}) itself", 'long before',
  'antes de (?:empezar|iniciar|comenzar)', 'avant (?:de commencer|le début|l\'instauration)', 'vor (?:beginn|start|therapiebeginn)',
]);
/** "long before Orbitrel", "predates Kalvexo": the harm came before our product (named). */
const BEFORE_NAMED = /(?:before|prior to|predat\p{L}*|antes de|avant|vor)\s+(?:\p{L}+\s+){0,2}qqoursqq/iu;
/** The harm's sentence says it came before our product ("swelling long before Orbitrel", "before Kalvexo, she had…"), not "wasn't diabetic before X". */
function beforeNamed(text: string, h: Hit, sentence: Span, products: Products): boolean {
  if (!products.pattern) return false;
  const end = sentence.start + sentence.text.length;
  const lead = text.slice(sentence.start, h.index).replace(products.pattern, 'qqoursqq');
  if (BEFORE_NAMED.test(lead)) return true;
  const rest = text.slice(h.index + h.words.length, end).replace(products.pattern, 'qqoursqq');
  const m = BEFORE_NAMED.exec(rest);
  return m !== null && !/n't|(?:^|[^\p{L}])(?:not|never|no|nicht|pas|nunca)(?![\p{L}])/iu.test(rest.slice(0, m.index));
}
/** History right beside the harm ("baseline QTc 470", "bili 2.1 at baseline", "hx of"): not an event on ours. */
const HISTORY_BEFORE = /(?:baseline|pre-?treatment|history of|hx of|h\/o|à l'inclusion|basal)\s+(?:[\p{L}-]+\s+){0,1}$/iu;
const HISTORY_AFTER = /^[^.;!?\n]{0,12}?(?<![\p{L}])(?:at baseline|(?:was|were) (?:the |her |his )?baseline|pre-?treatment|before (?:any|starting|we started|we switched|the switch)|history|in der vorgeschichte|last (?:spring|summer|autumn|fall|winter|year)|years? ago|l'an dernier|el año pasado|letztes jahr)/iu;
const NO_LIST = /(?:^|[^\p{L}])(?:no|sin|sans|kein\w*|ni|ningún|aucun\w*|ahorra|evita|saves?|spares?|avoids?|fewer|less|menos|moins|weniger)\s+[^.;!?]*,\s*(?:[\p{L}-]+\s+){0,2}$/iu;
const IF_LEAD = /^\s*(?:if|what if|what happens (?:when|if)|suppose|imagine|et si|was wenn|y si)(?![\p{L}])/iu;
const HYPOTHETICAL = words([
  'if', 'what if', 'in case of', 'worried', 'worries', 'worry', 'scared', 'afraid', 'concerned', 'nervous', 'hesitate', 'could', 'would', 'might', 'may', 'risk', 'picture', 'imagine',
  'watch for', 'warn', 'call (?:us|me) if', 'asked if', 'asks if', 'not started', 'not doing it', 'before (?:i|we) start', 'just asking', 'thinking out loud', 'paranoid', 'no active case', 'nothing happened',
  'was wenn', 'bedenken', 'me da miedo', "j'ai peur", 'angst', 'fears?', 'noch nicht begonnen', 'et si', 'peur', 'me preocupan?', 'anxious', 'inqui[eè]t\\p{L}*', 'preocupad[oa]s?', 'besorgt', 'por si', 'si llega',
  'feared', 'never happened', 'thought experiment', 'hypothetical(?:ly)?', 'not there yet', 'pas encore', 'noch nicht', 'todavía no', "haven'?t seen (?:one|it|any)", 'none of mine', 'nightmare scenario', 'just in case', "je m'attends", 'sounds like', 'waiting to happen', "i'?ll pass", 'never (?:filled|started|took|taken)', 'would i', 'ojo con', 'attention à', 'vorsicht', 'watch out', 'beware', 'careful', "didn'?t happen", 'en cas de', 'au cas où', 'en caso de', "who'?ll", 'will call', 'threshold to', 'counsel\\w*', 'educat\\w*', 'tell (?:pts|patients|them) to',
]);
const GENERAL = words([
  // How often or how bad a side effect is, said of no one in particular.
  '(?:is|are|was|were) (?:very |quite |extremely )?(?:rare|uncommon|unusual)', 'rarely', 'usually', 'typically', 'generally', 'häufig', 'meist(?:ens)?', 'selten', 'fréquente?s?', 'souvent', 'rarement', 'frecuentes?', 'raramente', 'signal', 'class-wide', 'manageable', 'gérable', 'beherrschbar', 'manejable', 'slides?', 'detail aid', 'leaflet', 'brochure', 'marketing', 'footnote', 'table', '(?:the )?rep (?:said|says|assured|told)', 'the rep', 'every (?:\\p{L}+ ){0,2}(?:inhibitors?|drugs?|biologics?|agents?)',
  'in (?:the )?trials?', 'trial', 'label(?:led)?', 'awareness (?:week|month|day)', 'basics', 'primer', 'for the gps?', '(?:per|/)\\s*100 (?:py|pt-?yrs?|patient-?years?)', 'pooled', 'rates?', 'any[- ]grade', 'supplement', 'data', 'class effect', 'every \\S+ drug', "every [\\p{L}-]+'s", 'greatest hits', 'reads like', 'common', 'usually settles',
  'teaching', 'pearl', 'tip', 'psa', 'reminder', 'protocol', 'thread', 'fellows', 'residents', 'pgy-?\\d', 'in general', 'in \\d+%', '\\d+(?:[.,]\\d)?\\s*%', 'profile', 'warn pts', 'warn about', 'cross-trial', 'ensayo', 'essai', 'studie', 'fachinfo', 'overhyped', 'overblown', 'overstated', 'similar', 'compar\\w+', 'quiz', 'manag\\w*', 'my take', '(?:honest )?review', 'verdict', 'hr [0-2][.,]\\d+', 'composite', 'end ?points?', 'ci [\\d.,]+', 'gérer', 'manejar', 'prophyla\\w*', 'pre-?emptive',
]);
/** Another drug or an earlier time the harm belongs to, when ours is not in the sentence. */
const ELSEWHERE = words([
  'before', 'prior', 'previous(?:ly)?', 'predat\\w*', 'pre-?existing', 'long-?standing', 'history of', 'hx of', 'hx', 'baseline', 'years? ago', 'last year', 'in the past',
  'had to come off', 'from scratching', 'antes de', 'avant', 'vorher', 'vor der', 'in der vorgeschichte',
]);
const OTHER_DRUG = words([
  '\\p{L}{3,}(?:ciclib|ozole|coumon|azosin|begron|zomib|lidomide|taxel|rubicin|tecan|mab|nib|pril|sartan|olol|azole|mycin|cillin|floxacin|statin|platin|trexate|zumab|lukast|gliflozin|xetine|glutide|gliptin|formin|prazole|semide|dipine|azepam|apine|idone|oxacin)', 
'\\p{L}{4,}(?:lone|sone|cept|tide)', 'carbo/pem', 'chemo', 'entresto', 'dupixent', 'dupi', 'enalapril', 'spironolactone', 'spiro',
  'lisinopril', 'amiodarone', 'citalopram', 'tamsulosin', 'ondansetron', 'fluconazole', 'ketoconazole', 'itraconazole', 'clarithromycin', 'ace ?i', 'acei', 'ace[- ]inhibitors?', 'ace-?hemmer\\w*', 'iec', 'ieca', 'arb', 'radiation', 'radiotherapy', 'nsaids?', '(?:iv )?contrast (?:dye|agent|load|study|ct)', 'iv contrast', 'insulin', 'sulfonylureas?', 'steroids?', 'prednisone', 'antibiotics?', 'tmp-?smx', 'bactrim', 'warfarin', 'lithium', 'opioids?', 'mtx', 'methotrexate?', 'leflunomide', 'hydroxychloroquine', 'sulfasalazine', 'azathioprine', 'mycophenolate', 'tacrolimus', 'cyclosporine?', 'ciclosporin', 'allopurinol', 'febuxostat', 'colchicine', 'anticholinergics?', 'oxybutynin', 'sema(?:glutide)?', 'tirzepatide',
  // Classes and names blamed for a harm as often as any INN: the harm is theirs, not ours.
  'statins?', 'estatinas?', 'beta[- ]?blockers?', 'diuretics?', 'ppis?', 'ssris?', 'snris?', 'antipsychotics?', 'neuroleptics?', 'chemo(?:therapy)?', 'immunotherapy', 'checkpoint inhibitors?', 'calcitriol', 'alfacalcidol', 'oxycodone', 'morphine', 'morfina', 'tramadol', 'codeine', 'fentanyl', 'hydromorphone',
]);

// ---- patient ----

const PATIENT = words([
  'pts?', 'pt\'s', 'patients?', 'patient\'s', 'my (?:mum|mom|dad|wife|husband|son|daughter)', 'he', 'she', 'him', 'her', 'his', 'hers', 'mine', '\\d+\\s*(?:y/?o|yo|yrs? old|year[- ]old)', '\\d+\\s*of\\s*(?:my|our|the)?\\s*\\d*\\s*(?:pts|patients)',
  'case', 'my (?:first|second|third|older|elderly)', 'one of (?:my|our|them)', 'two of them', 'i (?:had|have) (?:a|one)', 'third (?:pt|one|call|patient)', 'another one', 'in my (?:pts|patients|panel|clinic)',
  'patiente?s?', 'patientin', 'patienten', 'paciente', 'pacientes', 'ma patiente', 'mon patient', 'mi paciente', 'meine[mnr]? patient\\w*', 'unser\\w* patient\\w*', '\\d+-jährig\\w*', '\\d+ (?:años|ans)', 'mujer', 'hombre', 'il', 'elle', 'er', 'ella', 'él',
  'asthmatiker', 'mes patients', 'mis pacientes',
]);
/** A measure or an outcome that holds ("A1c holding", "remission is still holding"). */
const MEASURE_HOLDING = new RegExp(`(?<![\\p{L}])(?:${LAB_NAMES}|fvc|fev1|easi|pasi|das-?28|urate|remission|response|disease|vision|numbers|levels|counts|scores?|benefit|effect|weight|a1c|hba1c|bp)\\s+(?:(?:is|are|still|has been|have been|was)\\s+)*$`, 'iu');
/** Hypothetical words that stay so whatever else the sentence says: counselling, warnings. */
const COUNSEL = /^(?:counsel\p{L}*|educat\p{L}*|warn|watch for|call (?:us|me) if|will call|tell (?:pts|patients|them) to)$/iu;
/** Another treatment named just before an action ("oral steroids stopped", "Sauerstoff abgesetzt"). */
const OTHER_TREATMENT_BEFORE = /(?:oxygen|o2|sauerstoff|oxygène|oxígeno|steroids?|prednis\p{L}*|insulin\p{L}*|transfusions?|opioids?|oxycodone|morphine|diuretics?|furosemide|sulfonylharnstoff|sulfonylurea\p{L}*|cortico\p{L}*|kortison|chemo|statin|\p{L}{3,}(?:mab|nib|pril|sartan|olol|azole|mycin|statin|platin|glutide|formin|prazole|semide|dipine|idone|ide))\s+(?:(?:was|were|has been|have been|got|is|are|all|both)\s+)?$/iu;
/** A prescriber or a payer stopping, not a patient. */
const NOT_A_PATIENT_STOP = /(?:stopped|quit|dropped) (?:reaching|prescribing|recommending|starting|offering)/iu;
const NOT_A_PATIENT_STOP_AFTER = /^\s*(?:from (?:\p{L}+ ){0,3}(?:formulary|list|protocol|pathway|guidelines?|menu)|off (?:the |our )?formulary)/iu;
/** Someone other than the patient ("since her husband died"). */
const SOMEONE_ELSE = /(?:husband|wife|partner|mother|mum|mom|father|dad|son|daughter|brother|sister|friend|dog|cat|neighbou?r|grandmother|grandfather)(?:'s)?\s+(?:\p{L}+\s+)?$/iu;
/** Off our product for want of it: a supply gap, missed doses, waiting for approval. */
const WITHOUT_OURS = /(?:^|[^\p{L}])(?:ran out|run out|missed (?:doses|injections|\d+ doses)|without (?:it|her|his|their|the drug|the med\p{L}*|the injections?|capsules|pills)\b|while (?:we|she|he|they) (?:wait\p{L}*|appeal\p{L}*)|in the meantime|days? without|weeks? without|sans (?:son|le) traitement|sin (?:su |el )?tratamiento|ohne (?:das |sein |ihr )?medikament)/iu;
/** "pas d'effet indésirable", "plus d'œdème", "jamais d'hypotension". */
const NEG_ELIDED = /(?:^|[^\p{L}])(?:pas|plus|jamais|point|sans|guère) d['’]$/iu;
/** A harm word in its everyday sense, read from the word itself on. */
const NOT_A_SYMPTOM_AFTER = /^(?:falls?\s+(?:under|within|into|outside|short|apart|through|behind|on (?:a |the )?(?:\p{L}+day|weekend|holiday))|fell\s+(?:through|apart|short|behind|off (?:the|our) (?:formulary|list))|(?:tired|sick)(?: and tired)?\s+of|headaches?\s+(?:of|with|from) (?:the |our )?(?:billing|paperwork|insurers?|payers?|prior auth\p{L}*|admin\p{L}*|coding|ehr|portal))(?![\p{L}])/iu;
const ADMIN_BEFORE = /(?<![\p{L}])(?:billing|paperwork|admin\p{L}*|insurance|coding|logistic\p{L}*|scheduling|formulary|payer|ehr|it)\s+$/iu;
/**
 * What a drug is given for ("pantoprazole for reflux", "pour sa lombalgie", "(for GOUT)"): the
 * condition treated, unless the words before say it happened (admitted, seen, called, held for).
 */
const FOR_CONDITION = /(?<![\p{L}])(?<!(?:admitted|hospitali[sz]ed|presented|seen|treated|stopped|held|paused|reduced|came in|went in|back|ed|er|a&e|me|us|called|call(?:ed)? (?:me|us)|urgences|urgencias|notaufnahme|aufgenommen|ingresad[oa]|hospitalisée?)\s+)(?:for|pour|para|für)\s+(?:(?:a|an|the|his|her|their|sa|son|ses|la|le|les|une?|el|su|sus|eine[nmr]?|seine[rnm]?|ihre[rnm]?)\s+)?(?:[\p{L}'-]+[\s-]+){0,2}$/iu;
/** Something given for the harm, told as done ("needed eye drops for dry eye"): a harm treated, not the indication. */
const GIVEN_FOR_IT = /(?<![\p{L}])(?:needed|required|started|added|gave|given|prescribed|got|took|used|put (?:her|him|them) on|benötigte|brauchte|a eu besoin|necesitó)(?![\p{L}])[^.;!?]{0,40}$/iu;
/** A question put to colleagues. */
const ASKING_OTHERS_WORDS = /(?<![\p{L}])(?:anyone|anybody|everyone|everybody|people|others|y'?all|alguien|quelqu'un|jemand|ihr)(?![\p{L}])/iu;
/** A sentence that asks ("…or hold it?", "¿Suspender…?"). */
const QUESTION_SENTENCE = /^\s*[¿]|[?¿]\s*(?:[#@]\S+\s*)*$/u;
/** What follows "holding"/"held" when it is not a drug held: steady at a value, or a start put off. */
const HOLDING_STEADY = /^\s*(?:at(?!\s+(?:day|week|wk|cycle|dose|month|c\d|d\d|\d))|around|steady|stable|firm|strong|up|on|off|its|their|\d+(?:[.,]\d+)?(?![\d.,])(?!\s*(?:days?|weeks?|wks?|d|doses?|cycles?|months?)(?![\p{L}])))(?![\p{L}])/iu;
/** "stopped X", "came off X": stopping our product implies a reason, which PV wants to hear. */
const STOPPED_BEFORE = /(?:took (?:[\p{L}\d]+ ){1,2}off|pulled|cancel(?:l)?ed (?:\p{L}+ ){0,3}(?:infusions?|doses?|injections?|cycles?)(?: #?\d+)? of|stopped|stopping|quit|came off|coming off|discontinued|d\/c'?d|dropped|abandoned|taken off|pulled (?:\p{L}+ )?off|switched (?:\p{L}+ )?(?:off|away from)|intolerant (?:of|to)|couldn'?t tolerate|can'?t tolerate|arrêt(?:é|er)? (?:le |la |du )?|abgesetzt:? |suspendimos (?:el |la )?|dejó (?:el |la )?)\s*(?:taking\s+|the\s+)?$/iu;
/** "Hepavia stopped after 6 weeks", "X abgesetzt": our product stopped or held, named first. */
const STOPPED_AFTER = /^\s*(?:\d+\s*mg\s*)?(?:was |were |has been |had been |got |is |then )?(?:stopped|held|paused|discontinued|d\/c'?d|withdrawn|interrupted|cancel(?:l)?ed|abgesetzt|pausiert|arrêtée?|suspendid[oa]|suspendue?|retirad[oa])(?![\p{L}])/iu;
const ASKING_ABOUT_OTHERS = /\b(?:seen anyone|anyone using|alguien ha (?:visto|tenido)|quelqu'un a (?:déjà )?vu|hat jemand|has anyone|anyone else|anybody else|is anyone|are people|are you|are others|does anyone|do you see|(?:anyone|anybody) (?:seeing|seen|noticed?|getting|had|have|get))\b/i;

export interface AdverseEventInput {
  text: string;
  products: Products;
  /** Sentences of the post (shared with other stages). */
  spans: Span[];
}

interface HarmHit extends Hit {
  kind: 'clinical' | 'lab' | 'implied';
  label: string;
}

/**
 * The decision for a post about a product: a logistic regression over the rules' own signals
 * (harms kept and why others were dropped, patient, asking others) and the post's words
 * (hcp-ae-weights.json, trained by scripts/train-flags.ts on the HCP dev posts). Scored on
 * products it had never seen (leave one product out), it beat the rules alone and the rules
 * OR-ed with it at every recall, so it decides; the rules still supply the cues and report
 * elements. It catches harms told in words no list holds ("had to take her off it", "a
 * zombie") and drops harm words used for the disease or in general talk.
 */
export function detectAdverseEvent(input: AdverseEventInput): AdverseEventFinding {
  const r = ruleStage(input);
  if (!input.products.given || !HCP_TRAINED) return r.finding;
  const feats = [...r.signals, ...ngramFeatures(flagTokens(input.text, (w) => input.products.isOurs(w)))];
  // Every harm word negated and nothing else found ("no rash, no diarrhoea"): not an event,
  // whatever the words around it suggest (scripts/train-flags.ts applies the same veto in CV).
  const negatedOnly = r.signals.includes('d:harm negated') && !r.signals.some((f) => f.startsWith('k:'));
  const p = negatedOnly ? 0 : flagProbability(HCP_WEIGHTS, feats);
  if (p < HCP_WEIGHTS.threshold) {
    if (!r.finding.possible) return r.finding;
    const harm = r.finding.elements.event?.words ?? '';
    return {
      possible: false,
      elements: { patient: null, reporter: null, product: null, event: null },
      cues: [{ words: harm, reason: 'harm words, but read as general talk, not a patient case' }],
    };
  }
  if (r.finding.possible) return r.finding;
  // The model has no single harm word to show: the clause holding the words that weighed most.
  const top = topFeatures(HCP_WEIGHTS, feats.filter((f) => /^[wb]:/.test(f) && !f.includes('<')), 3);
  const spans = clauses(input.text);
  const lower = input.text.toLowerCase();
  const at = top.map((f) => lower.indexOf(f.slice(2).split('_')[0]!)).find((i) => i >= 0) ?? 0;
  const words = clip(sentenceAt(spans, at).text.trim(), 80);
  const productWords = input.products.firstMention(input.text) ?? input.products.name;
  return {
    possible: true,
    elements: {
      patient: r.patient ? { words: clip(r.patient), reason: 'a real patient' } : null,
      reporter: { words: "the post's author", reason: 'an HCP posting under their handle' },
      product: productWords ? { words: productWords, reason: 'the suspect product' } : null,
      event: { words, reason: 'a harm told in everyday words' },
    },
    cues: [{ words, reason: `Harm likely: '${clip(words, 60)}'${productWords ? ` on ${productWords}` : ''} (reads like a harm report)` }],
  };
}

/** The rules' signals and the post's words, as the HCP model reads them (for training). */
export function aeFeatures(input: AdverseEventInput, harm: RegExp = HARM): string[] {
  return [...ruleStage(input, harm).signals, ...ngramFeatures(flagTokens(input.text, (w) => input.products.isOurs(w)))];
}

/** The rules alone (exported for tests): their verdict, their signals for the model, the patient, the harm words found. `harmWords` is the harm list (a subset in training's strict CV). */
export function ruleStage({ text, products }: AdverseEventInput, harmWords: RegExp = HARM): { finding: AdverseEventFinding; signals: string[]; patient: string | null } {
  const spans = clauses(text);
  const signals: string[] = [];
  const harms: HarmHit[] = [];
  for (const h of hits(harmWords, text)) {
    const implied = IMPLIED_RE.test(h.words);
    harms.push({ ...h, kind: implied ? 'implied' : 'clinical', label: h.words });
  }
  if (products.pattern) {
    for (const m of hits(products.pattern, text)) {
      const lead = STOPPED_BEFORE.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (lead) harms.push({ words: `${lead[0]}${m.words}`.trim(), index: m.index - lead[0].length, kind: 'implied', label: 'stopped' });
      const tail = STOPPED_AFTER.exec(text.slice(m.index + m.words.length, m.index + m.words.length + 40));
      if (tail) harms.push({ words: `${m.words}${tail[0]}`, index: m.index, kind: 'implied', label: 'stopped' });
    }
  }
  for (const lab of LABS) {
    lab.re.lastIndex = 0;
    for (let m = lab.re.exec(text); m; m = lab.re.exec(text)) {
      // A single value that then moves ("platelets 95 → 180"): the change decides, not the start.
      if (!lab.change && ARROW_NEXT.test(text.slice(m.index + m[0].length, m.index + m[0].length + 14))) continue;
      if (lab.bad(m)) harms.push({ words: m[0], index: m.index, kind: 'lab', label: lab.name });
    }
  }
  const kept: HarmHit[] = [];
  const dropped: Cue[] = [];
  const drugs = products.given ? drugMentions(text, products) : [];
  const perSentence = new Map<number, { hyp: Hit | null; real: boolean; gen: Hit | null; patient: boolean; pre: Hit | null }>();
  for (const h of harms.sort((a, b) => a.index - b.index)) {
    if (inHashtag(text, h.index)) continue;
    const lead = text.slice(Math.max(0, h.index - 40), h.index);
    const tail = text.slice(h.index + h.words.length, h.index + h.words.length + 40);
    // "Sauerstoff abgesetzt", "oral steroids stopped": another treatment stopped, not ours.
    if (h.kind === 'implied' && h.label !== 'stopped' && OTHER_TREATMENT_BEFORE.test(lead)) continue;
    // "stopped reaching for it", "dropped X from our formulary", "40 minutes on hold with the PBM":
    // a prescriber's or a payer's choice, or a phone queue, not a patient's harm.
    const phoneQueue = /on hold$/i.test(h.words) && (/^\s*(?:with|for \d)/i.test(tail) || /(?:minutes?|mins?|hours?|hrs?)\s+$/i.test(lead));
    if (h.kind === 'implied' && (NOT_A_PATIENT_STOP.test(h.words) || NOT_A_PATIENT_STOP_AFTER.test(tail) || phoneQueue)) continue;
    // "falls under the J-code rules", "tired of being told", "sick of the paperwork", "the billing
    // headaches": the word's everyday sense, not a symptom.
    if (h.kind === 'clinical' && (NOT_A_SYMPTOM_AFTER.test(`${h.words}${tail}`) || (/^headaches?$/i.test(h.words) && ADMIN_BEFORE.test(lead)))) continue;
    // "since her husband died": someone else's harm.
    if (h.kind === 'clinical' && /^(?:died|death)$/i.test(h.words) && SOMEONE_ELSE.test(lead)) continue;
    // "Pt ran out. Missed doses and the ankles swelled", "without her JAK for 11 days and her RA is flaring":
    // a harm while off our product (an access story), not on it.
    if (WITHOUT_OURS.test(sentenceAt(spans, h.index).text)) {
      dropped.push({ words: clip(h.words), reason: 'while off our product' });
      continue;
    }
    // "BP holding around 112/70", "remission is holding at 18 months", "holding off on X for now":
    // something steady, or a start put off, not a drug held for a harm.
    if (h.kind === 'implied' && /^hold|^held$/i.test(h.words) && (HOLDING_STEADY.test(tail.slice(0, 16)) || MEASURE_HOLDING.test(lead) || /(?:still|is|are)\s+$/i.test(text.slice(Math.max(0, h.index - 8), h.index)))) continue;
    // "QTc > 500: hold" is a rule, not a value someone had ("->" is a change, not a comparison).
    if (h.kind === 'lab' && /(?<!-)[<>]|[≥≤]|\b(?:over|above|below|under)\b/i.test(h.words)) continue;
    const sentence = sentenceAt(spans, h.index);
    // "Hold it, halve it, or carry on?", "¿Suspender cuánto tiempo antes?": an action asked about, not one taken.
    if (h.kind === 'implied' && QUESTION_SENTENCE.test(sentence.text)) {
      dropped.push({ words: clip(h.words), reason: 'a question about what to do' });
      continue;
    }
    const before = text.slice(Math.max(sentence.start, h.index - 60), h.index);
    const after = text.slice(h.index + h.words.length, h.index + h.words.length + 30);
    const near = text.slice(Math.max(sentence.start, h.index - 30), h.index);
    // A lab told without a number ("no creatinine bump") can be negated like a word; a value cannot.
    if ((h.kind !== 'lab' || !/\d/.test(h.words)) && (NEGATION.test(before) || NEG_ELIDED.test(before) || NO_LIST.test(before) || LESSENED_AFTER.test(after))) {
      // Quoted from the post as written ("Pas d'effet indésirable", not "Pas d' effet"): the clause up to the harm.
      const clauseStart = h.index - before.split(/[,;:]/).pop()!.length;
      dropped.push({ words: clip(text.slice(clauseStart, h.index + h.words.length)), reason: 'harm negated' });
      continue;
    }
    if (h.kind === 'clinical' && (DISEASE_BEFORE.test(near) || DISEASE_AFTER.test(after) || ((CONDITION_BEFORE.test(before) || (FOR_CONDITION.test(before) && !GIVEN_FOR_IT.test(before))) && !AFTER_EVENT.test(after) && !products.mentionedIn(before.slice(-30))))) {
      // The two words before the harm and the harm, as written ("post-stroke", "ACE-Hemmer-Husten").
      const lead2 = /(?:\S+\s+)?\S+\s*$/.exec(near);
      const from = lead2 ? h.index - (near.length - lead2.index) : h.index;
      dropped.push({ words: clip(text.slice(from, h.index + h.words.length)), reason: 'the condition treated, not a harm' });
      continue;
    }
    if ((h.kind === 'clinical' || (h.kind === 'lab' && !/\d/.test(h.words))) && /[?¿]/.test(sentence.text) && (ANY_BEFORE.test(before) || (ASKING_OTHERS_WORDS.test(sentence.text) && !hasRealPatient(sentence.text) && !MY_CASE.test(text)))) {
      dropped.push({ words: clip(h.words), reason: 'a question about what to expect' });
      continue;
    }
    // Sentence-level checks, once per sentence however many harm words it holds.
    let sc = perSentence.get(sentence.start);
    if (!sc) {
      sc = { hyp: first(HYPOTHETICAL, sentence.text), real: REAL_EVENT.test(sentence.text), gen: first(GENERAL, sentence.text), patient: hasRealPatient(sentence.text), pre: first(BEFORE_OURS, sentence.text) };
      perSentence.set(sentence.start, sc);
    }
    const hyp = sc.hyp;
    // A sentence that opens on a condition ("If my pt on X gets…", "What happens when…") is a what-if even with a patient in it.
    if (hyp && (!sc.real || IF_LEAD.test(sentence.text) || COUNSEL.test(hyp.words))) {
      dropped.push({ words: clip(h.words), reason: `a worry, not an event ('${hyp.words}')` });
      continue;
    }
    const gen = sc.gen;
    if (gen && !sc.patient) {
      dropped.push({ words: clip(h.words), reason: `side effects in general ('${gen.words}')` });
      continue;
    }
    const pre = sc.pre ?? (HISTORY_BEFORE.test(near) || HISTORY_AFTER.test(after) || beforeNamed(text, h, sentence, products) ? { words: 'baseline', index: h.index } : null);
    if (pre && products.given) {
      dropped.push({ words: clip(h.words), reason: `before our product ('${pre.words}')` });
      continue;
    }
    if (products.given) {
      // The drug the harm belongs to: one named right after it ("rash on X", "diarrhoea she had
      // on X"), else the nearest one named before it (in this sentence or an earlier one, with
      // any drug named beside it in that sentence as a co-suspect), else ours.
      const suspect = suspectOf(drugs, h, spans, text);
      if (suspect && !suspect.ours) {
        dropped.push({ words: clip(h.words), reason: `harm from '${suspect.words}'` });
        continue;
      }
      const elsewhere = first(ELSEWHERE, near);
      if (elsewhere && !(suspect?.ours && suspect.index > h.index)) {
        dropped.push({ words: clip(h.words), reason: `harm from before ours ('${elsewhere.words}')` });
        continue;
      }
    }
    kept.push(h);
  }

  // A literature-style report names no product of ours: the drug it names, or a causal
  // link ("-induced", "after starting"), stands in for the product and the patient.
  const link = products.given ? null : first(CAUSAL_LINK, text);
  const productName = products.firstMention(text) ?? (products.given ? null : (first(OTHER_DRUG, text)?.words ?? null));
  const patientHit = first(PATIENT, text) ?? first(SELF, text);
  // Someone real: a patient named, the poster on it, or a concrete event (a lab value, a dose
  // held, a time on the drug) that only happens to a real person. Not when the post only asks
  // whether others see it ("has anyone seen…?") without a case of its own.
  // When the post asks whether others see a harm, a time on the drug ("in the first month?") is the question's, not a case.
  const askingOthers = ASKING_ABOUT_OTHERS.test(text) && !MY_CASE.test(text);
  const concrete = kept.some((h) => h.kind !== 'clinical') || (!askingOthers && first(ON_DRUG_TIME, text) !== null);
  const teaching = first(POST_GENERAL, text);
  const someoneReal = products.given
    ? !(ASKING_ABOUT_OTHERS.test(text) && !MY_CASE.test(text) && !concrete) && !(teaching && first(PATIENT, text) === null && !first(SELF, text))
    : (patientHit !== null || link !== null || concrete) && !(ASKING_ABOUT_OTHERS.test(text) && !MY_CASE.test(text) && !concrete);

  // The strongest harm first: a lab value or a clinical term says more than an implied action.
  const order = { lab: 0, clinical: 1, implied: 2 } as const;
  let best = [...kept].sort((a, b) => order[a.kind] - order[b.kind])[0] ?? null;
  // Without a product of ours, the broad case-report vocabulary of the first detector decides
  // (literature and forwarded reports use far more clinical terms than the lists above).
  const broad = products.given ? null : detectCaseReportHarm(text);
  // Literature sentences: the model trained on ADE-Corpus-V2's even ids decides (threshold from CV).
  const literature = products.given ? 0 : flagProbability(ADE_WEIGHTS, adeFeatures(text, ADE_LEXICON, broad!));
  const possible = products.given ? best !== null && someoneReal && (productName !== null || products.given) : literature >= ADE_WEIGHTS.threshold;
  if (broad?.possible && !best) {
    const w = broad.cues.harm[0] ?? '';
    kept.push({ words: w, index: Math.max(0, text.toLowerCase().indexOf(w)), kind: 'clinical', label: w });
    best = kept[kept.length - 1]!;
  }
  const productWords = productName ?? products.name;
  const cues: Cue[] = [];
  if (possible) {
    const seen = new Set<string>();
    for (const h of [...kept].sort((a, b) => order[a.kind] - order[b.kind])) {
      const w = clip(h.words);
      if (seen.has(w.toLowerCase()) || cues.length >= 3) continue;
      seen.add(w.toLowerCase());
      cues.push({ words: w, reason: `Harm: '${w}'${productWords ? ` on ${productWords}` : ''}${h.kind === 'lab' ? ` (${h.label})` : h.kind === 'implied' ? ' (implies a harm)' : ''}` });
    }
  } else {
    cues.push(...dropped.slice(0, 2));
  }
  for (const h of kept) signals.push(`k:${h.kind}`);
  for (const d of dropped) signals.push(`d:${d.reason.replace(/ \(.*$|'.*$/, '').trim()}`);
  if (patientHit) signals.push('p:patient');
  if (concrete) signals.push('p:concrete');
  if (teaching) signals.push('p:teaching');
  if (ASKING_ABOUT_OTHERS.test(text)) signals.push('p:asking');
  if (MY_CASE.test(text)) signals.push('p:mycase');
  if (products.mentionedIn(text)) signals.push('p:named');
  if (possible) signals.push('r:possible');
  // Harm words all belong to another drug or to before ours ("the cough she had on enalapril has
  // gone"): what resolved or was treated was that harm, not one on ours.
  const elsewhereOnly = !kept.length && dropped.length > 0 && dropped.every((d) => /^harm from|^before our product/.test(d.reason));
  if (elsewhereOnly) signals.push('x:elsewhere-only');
  // How a case report links a patient to the drug, whatever the harm is called: a symptom
  // reported, a time after a dose, the patient "on" our product.
  if (first(REPORTED, text)) signals.push('l:reported');
  if (first(AFTER_DOSE, text)) signals.push('l:after-dose');
  if (first(MANAGED, text) && !elsewhereOnly) signals.push('l:managed');
  if (first(RESOLVED, text) && !elsewhereOnly) signals.push('l:resolved');
  if (products.pattern && ON_OURS.test(text.replace(products.pattern, ' qqoursqq '))) signals.push('l:on-ours');
  // What the words alone do not say: no harm evidence at all, praise, an access story.
  if (!harms.length) signals.push('x:noharm');
  if (first(GOOD_NEWS, text)) signals.push('x:good');
  // Tolerability told as praise or as nothing happening ("well tolerated", "no side effects so
  // far", "labs all in range"): case-shaped posts with no harm in them.
  if (first(TOLERATED, text)) signals.push('x:tolerated');
  if (first(NOTHING_YET, text)) signals.push('x:so-far');
  if (first(LABS_NORMAL, text)) signals.push('x:labs-normal');
  if (first(BETTER, text)) signals.push('x:better');
  if (labImproved(text)) signals.push('x:lab-better');
  // No harm kept and the post tells of a good course: the shape of a case, without a harm.
  if (!kept.length && signals.some((x) => /^x:(?:good|tolerated|labs-normal|better|lab-better)$/.test(x))) signals.push('x:clean-good');
  if (first(ACCESS_STORY, text)) signals.push('x:access');
  // A post that asks what to do is often a question for Medical, not a case report.
  if (/[?¿]/.test(text)) signals.push('x:asks');
  if (/[?¿]\s*(?:#\S+\s*)*$/.test(text.trim())) signals.push('x:ends-asking');
  return { signals: [...new Set(signals)], patient: patientHit?.words ?? null, finding: {
    possible,
    elements: {
      patient: possible && patientHit ? { words: clip(patientHit.words), reason: 'a real patient' } : null,
      reporter: possible ? { words: "the post's author", reason: 'an HCP posting under their handle' } : null,
      product: possible && productWords ? { words: productWords, reason: 'the suspect product' } : null,
      event: possible && best ? { words: clip(best.words), reason: best.kind === 'lab' ? `${best.label} past the usual limit` : 'the harm' } : null,
    },
    cues,
  } };
}

const CAUSAL_LINK = words(['[\\p{L}-]+[- ]induced', 'induced by', 'caused by', 'associated with', '[\\p{L}-]+[- ]associated', '[\\p{L}-]+[- ]related', 'due to', 'secondary to', 'attributed to', 'following', 'after (?:starting|taking|receiving|initiation|treatment|the (?:first|second))', 'during (?:treatment|therapy)', 'developed', 'while (?:on|taking|receiving)', 'toxicity', 'rechallenge']);
const IMPLIED_RE = wordsRe(IMPLIED.join('|'), 'iu');
const REAL_EVENT = /\b(?:had|has|got|developed|came in|now|today|yesterday|this week|since|went|is at|my pt|our pt|pt on|pt's)\b/i;
const MY_CASE = /\b(?:mi paciente|ma patiente|mon patient|meine[mnr]? patient\w*|paciente con|patiente? sous|patient(?:in)? unter|my pts?|my patients?|my pts'|had one|had \d|our pts?|our patients?|our cohort|my \d|in my pts|one pt|a pt (?:of mine|on|with|who|had|developed)|pt had|my first|pt on|came in|(?:one|two|three|couple|few|several|some|\d) (?:of )?(?:my |our |the )?(?:pts|patients)|(?:first|second|third|another|\d+(?:st|nd|rd|th)) (?:pt|patient)|pts? mentioned|(?:i'?m|i am) on|i take it|mine)\b/i;
const GOOD_NEWS = words(['love', 'loving', 'great', 'best', 'game[- ]?changer', 'happ(?:y|ier|iest)', 'delighted', 'thrilled', 'impressed', 'remission', 'back to (?:work|school|normal|the gym|golf)', 'go-?to', 'first choice', 'recommend', 'génial', 'ravie?', 'super', 'encanta', 'genial', 'begeistert', 'toll', 'zufrieden', 'contento']);
/** Tolerability praised, or no side effect at all. */
const TOLERATED = words([
  '(?:well|nicely|beautifully|fine) tolerated', '(?:how )?well (?:it|this|she|he|they)(?: is| was| are| were|\'s| has been| have been)? tolerat(?:ed|ing|es)', 'tolerat(?:ed|ing|es) (?:it |the (?:\\p{L}+ )?)?(?:well|fine|nicely|beautifully|great)', 'tolerability', 'easiest (?:treatment|drug|med\\p{L}*)', 'best tolerated', 'no (?:side effects|adverse (?:effects|events)|complaints|issues|problems)',
  'not a single (?:\\p{L}+ )?(?:complaint|side effect|issue|problem)', 'without (?:any )?(?:side effects|issues|problems)',
  'bien tolérée?s?', 'très bonne tolérance', 'bonne tolérance', "(?:pas|aucun) d'effets? (?:indésirables?|secondaires?)", 'aucun effet (?:indésirable|secondaire)', 'aucune plainte',
  'gut (?:vertragen|verträglich)', 'wird (?:gut )?vertragen', 'keine nebenwirkungen', 'keinerlei nebenwirkungen', 'bien tolerad[oa]s?', 'buena tolerancia', 'sin (?:ningún )?efectos? (?:secundarios?|adversos?)', 'ningún efecto (?:secundario|adverso)',
]);
/** Nothing has happened yet: "so far", "to date", "time will tell", "bisher", "hasta ahora", "pour l'instant". */
const NOTHING_YET = words([
  'so far', 'to date', 'yet', 'time will tell', 'will report back', "we'?ll see", 'fingers crossed', 'stay tuned', 'wait and see', 'early days', 'too early to (?:tell|say)',
  'hasta ahora', 'por ahora', 'de momento', 'el tiempo dirá', 'ya veremos', "pour l'instant", "jusqu'ici", "jusqu'à présent", 'on verra', "l'avenir (?:le )?dira", 'bisher', 'bislang', 'mal sehen', 'abwarten',
]);
/** Monitoring labs told as normal ("LFTs all in range", "ANC 1.9, ALT normal", "ECGs unremarkable"). */
const LABS_NORMAL = words([
  '(?:labs?|lfts?|bloods?|counts|ecgs?|ekgs?|alt|ast|anc|cbc|fbc|potassium|creatinine|electrolytes|transaminases|qtc|ck|hb|lipase)(?: (?:all|are|were|is|was|still|stayed|remain(?:ed)?|look(?:ed|s)?|came back))*(?: (?:normal|in range|unremarkable|fine|stable|unchanged|clean|ok|okay|reassuring))',
  '(?:normal|unremarkable|clean) (?:labs?|lfts?|bloods?|counts|ecgs?|ekgs?)', 'same as baseline', 'transaminases normales', 'bilan (?:hépatique )?normal', 'laborwerte (?:unauffällig|normal)', 'analíticas? normal(?:es)?',
]);
/** An outcome told as function regained or the disease gone: clinical words that are good news. */
const BETTER = words([
  'back (?:to|on) (?:work|school|normal|the gym|golf|night shifts|shifts|running|cycling|full|his|her|their)\\p{L}*', 'returned to', 'afebrile', 'normali[sz]ed', 'in remission', 'discharged (?:home|on day|day|by day)', 'home (?:on )?day \\d+', 'went home', 'sterile', 'test of cure', 'clear(?:ed)? (?:skin|at)',
  'partial response', 'complete response', 'stable disease', 'no new (?:\\p{L}+ )?lesions?', 'no (?:new )?(?:relapses?|attacks?|seizures?)', '(?:mri|scans?|irm|mrt) (?:quiet|stable|clean|unchanged)', 'back to (?:normal|baseline)', 'in range', 'mrd[- ]?negative',
  'aucune (?:poussée|nouvelle lésion|crise)', 'sans nouvelle lésion', 'normalisée?s?', 'keine neuen? (?:läsionen?|schübe|herde)', 'normalisiert', 'sin (?:nuevas lesiones|brotes|recaídas)', 'normalizad[oa]s?', 'no (?:relapses?|exacerbations?|admissions|hospitali[sz]ations?)', 'zero (?:flares|exacerbations|admissions|hospitali[sz]ations?)', 'off (?:steroids|prednisone|insulin|oxygen)',
  'first time (?:in|since)', 'at (?:her |his |their )?target', 'responding', 'shrinking', 'drove (?:herself|himself|themselves)', 'walked into', 'renewed', 'retourné', 'premi[eè]re fois depuis', 'por primera vez', 'zum ersten Mal',
  'ha vuelto a', 'vuelve a', 'volvió a', 'est reparti\\p{L}*', 'a repris', 'reprend', 'wieder (?:arbeiten|im|am|auf|beim)', 'arbeitet wieder', 'rémission', 'remisión', 'sin ingresos', 'zéro hospitalisation', 'keine (?:schübe|krankenhausaufenthalte)',
]);
const ACCESS_STORY = words(['prior auth\\w*', 'pa', 'copay', 'co-pay', 'formulary', 'pharmacy', 'insurer', 'insurance', 'pbm', 'payer', 'stock', 'shortage', 'appeal', 'denied', 'approved', 'coverage', 'covered', 'kasse', 'remboursement', 'seguro', 'aseguradora']);
/** Teaching threads, label updates and guidance: what to do if, not what happened. */
const POST_GENERAL = words(['(?:\\p{L}+ )?(?:residents|fellows|interns|students):', 'awareness (?:week|month|day)', 'basics', 'primer', '101', 'for the gps?', '(?:pop )?quiz', 'teaching', 'thread', '🧵', 'pearls?', 'psa', 'tips?', 'reminder', 'label (?:update|change)', 'new label', 'fachinfo\\w*', 'ficha técnica', 'rcp', 'guidelines?', 'for (?:the )?(?:fellows|residents|interns|students)', 'smpc', 'prescribing information', 'rote-hand-brief', 'dhpc']);
/** The poster as the patient ("I'm on it myself", "me, the cardiologist"). */
const SELF = words(["i'?m on", 'i am on', 'i take', 'i started', 'myself', 'me', 'my own', 'je suis sous', 'ich nehme', 'tomo', 'estoy con']);
/** A time on the drug: "week 6", "since dose 3", "after starting" only describe a real course. */
const ON_DRUG_TIME = words(['(?:wk|week|day|month|cycle|dose|c)\\s*#?\\d+', '\\d+ (?:weeks?|days?|months?|wks?|doses?|cycles?) (?:in|into|on|after)', 'since (?:starting|dose|the first|switching|we started|it was started)', 'after (?:starting|the first|dose|\\d+)', 'first (?:week|dose|injection|month)', 'semaine \\d+', 'woche \\d+', 'semana \\d+', 'seit (?:beginn|start)', 'depuis (?:le début|l\'instauration)', 'desde (?:que empez|el inicio)']);

/**
 * A measure of the disease or a safety lab that moved the good way ("ALP 412 → 168", "CAS 6 → 1",
 * "Hb 9.1 → 12.4", "la fosfatasa alcalina bajó de 390 a 150"): an outcome, told in numbers.
 */
const LOWER_BETTER = /^(?:crp|pcr|esr|vsg|bsg|calprotectin\p{L}*|easi|pasi|scorad|das-?28|cdai|sdai|haq|basdai|asdas|mayo|cas|alp|pal|(?:alkaline )?phosphatase|phosphatase alcaline|(?:fosfatasa )?alcalina|ggt|m-?spike|m-?protein|flc|light chains?|cea|psa|suv|nrs|itch|pain|vas|upcr|uacr|proteinuri\p{L}*|protéinurie|urate|sua|uricémie|uricemia|harnsäure|ldl|edss|nt-?probnp|bnp|kpa|fibroscan|viral load|tophi|attacks|flares|days|score|activity)$/iu;
const HIGHER_BETTER = /^(?:fev1|vems|fvc|bcva|visus|6mwd|walking distance|albumin|qol|eq-?5d|sleep|total sleep time)$/iu;
const MEASURE_NAMES = `(?:${LOWER_BETTER.source.slice(4, -2)}|${HIGHER_BETTER.source.slice(4, -2)}|${LAB_NAMES})`;
const MEASURE_CHANGE = new RegExp(`(?<![\\p{L}])(${MEASURE_NAMES})(?![\\p{L}])[^\\d\\n.;!?]{0,30}?(\\d[\\d,]*(?:[.,]\\d+)?)\\s*(?:%|kg|mg\\/dl|mmol\\/l|µmol\\/l|g\\/dl|g\\/l|u\\/l|mm|kpa|bpm)?\\s*(?:->|→|to|a|auf|à)\\s*(\\d[\\d,]*(?:[.,]\\d+)?)`, 'giu');
/** Cheap first look: a number, then an arrow or "to" and another number. */
const ANY_CHANGE = /\d\s*(?:[\p{L}µ/%]+\s*)?(?:->|→|to|a|auf|à)\s*\d/u;
function labImproved(text: string): boolean {
  if (!ANY_CHANGE.test(text)) return false;
  MEASURE_CHANGE.lastIndex = 0;
  for (let m = MEASURE_CHANGE.exec(text); m; m = MEASURE_CHANGE.exec(text)) {
    const name = m[1]!.toLowerCase();
    const a = num(m[2]!.replace(/,(?=\d{3})/, ''));
    const b = num(m[3]!.replace(/,(?=\d{3})/, ''));
    if (!(a > 0) || !(b >= 0)) continue;
    if ((LOWER_BETTER.test(name) || UP_BAD.test(name)) && b <= a * 0.9) return true;
    if ((HIGHER_BETTER.test(name) || DOWN_BAD.test(name)) && b >= a * 1.1) return true;
  }
  return false;
}

/** A symptom told as what someone reported or developed. */
const REPORTED = words([
  'complain(?:s|ed|ing)? (?:of|about)', 'reports?', 'reported (?:a|an|new|some|that)', 'report(?:s|ed)? (?:feeling|having)', 'developed', 'presented (?:with|to)', 'came (?:in|back) with', 'called (?:in|me|us|the clinic)', 'noticed', 'says (?:she|he|they|her|his|it)', 'told me',
  'se plaint', 'a développé', 'présente', "m'a appelé", 'klagt', 'berichtet', 'entwickelte', 'hat (?:eine?n? )?\\p{L}+ entwickelt', 'refiere', 'consulta por', 'desarrolló', 'presentó', 'me llamó',
]);
/** A time after a dose or an injection: the harm followed our product. */
const AFTER_DOSE = words([
  '(?:after|following|post|since|from|within \\p{L}+ (?:hours?|days?) of) (?:the |her |his |each |every |a )?(?:first |second |third |\\d+(?:st|nd|rd|th)? |last |latest |next )?(?:dose|injection|infusion|shot|tablet|pill|load(?:ing dose)?)s?', 'post-?(?:injection|infusion|dose)',
  "après (?:la |l'|chaque |sa )?(?:\\d+e |première |deuxième )?(?:injection|dose|prise|perfusion)", 'nach (?:der |jeder |einer )?(?:\\d+\\. |ersten |zweiten )?(?:injektion|gabe|dosis|spritze|infusion|einnahme)', 'tras (?:la |cada )?(?:\\d+ª |primera |segunda )?(?:inyección|dosis|infusión|toma)', 'nach erstgabe',
]);
/** A symptom being treated: what is given for a harm, whatever the harm is called. */
const MANAGED = words([
  '(?:added|started|gave|prescribed|needed|required|on|with|put (?:her|him|them) on) (?:a |an |some |topical |oral |iv |short course of )?(?:diuretics?|furosemide|antihistamines?|steroids?|prednisone|pred|ppis?|loperamide|imodium|antiemetics?|ondansetron|drops|eye ?drops|lubricants?|artificial tears|creams?|emollients?|paracetamol|acetaminophen|ibuprofen|nsaids?|antibiotics?|doxy(?:cycline)?|minocycline|valacyclovir|acyclovir|antivirals?|adrenaline|epinephrine|epi|fluids|potassium binders?|patiromer|anticoagula\\p{L}+|iron|transfusions?)',
  'treated (?:with|for|it)', 'managed (?:with|by)', 'soaks', 'settled (?:on|with)', 'calmed (?:down )?(?:on|with)',
  'sous (?:collyre|corticoïdes|antihistaminiques|diurétique|antibiotiques)', 'corticoïdes', 'collyre', 'diurétique', 'paracétamol', 'doxycycline', 'antihistaminique\\p{L}*',
  '\\p{L}+ angesetzt', 'augentropfen', 'kortison', 'diuretikum', 'antihistaminik\\p{L}*', 'loperamid', 'paracetamol', 'ibuprofeno', 'doxiciclina', 'colirio', 'corticoides', 'diurético', 'antihistamínico\\p{L}*', 'añadí',
]);
/** A harm that has passed still happened ("resolved", "settled", "gone now"). */
const RESOLVED = words(['resolved', 'resolving', 'settled', 'subsided', 'healed', 'gone now', 'cleared', 'went away', 'wore off', 'régress\\p{L}*', 'résolu\\p{L}*', 'disparu\\p{L}*', 'abgeheilt', 'abgeklungen', 'verschwunden', 'desapareci\\p{L}*', 'se resolvió', 'remitió', 'curó']);
/** The patient on our product ("on X", "sous X", "unter X", "con X", "started X"). */
const ON_OURS = /(?:^|[^\p{L}])(?:on|taking|started|starting|since|after|sous|unter|mit|con|bajo|en|tomando)\s+(?:\p{L}+\s+){0,1}qqoursqq/iu;

/**
 * Sentences for this stage: like text.ts's, but a decimal point ("bili 2.1", "K 6.1") does not
 * end one, so what a lab value's sentence says about it ("at baseline") stays in scope.
 */
function clauses(text: string): Span[] {
  const out: Span[] = [];
  const re = /(?:[^.!?;\n¿¡]|(?<=\d)\.(?=\d))+[.!?;\n]*|[¿¡][^?!\n]*[?!]*/g;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].trim()) out.push({ text: m[0], start: m.index });
  return out.length ? out : [{ text, start: 0 }];
}

interface DrugMention {
  words: string;
  index: number;
  ours: boolean;
}
/** Drug names in a post: ours (the product and its aliases) and others (known names, INN stems). */
function drugMentions(text: string, products: Products): DrugMention[] {
  const out: DrugMention[] = [];
  for (const h of hits(OTHER_DRUG, text)) out.push({ ...h, ours: products.isOurs(h.words) });
  const ourRe = products.pattern;
  if (ourRe) for (const h of hits(ourRe, text)) if (!out.some((o) => o.index === h.index)) out.push({ ...h, ours: true });
  return out.sort((a, b) => a.index - b.index);
}
/** A drug merely compared with, or switched to afterwards, is not the suspect. */
const NOT_SUSPECT_BEFORE = /(?:over|(?:than|compared (?:with|to)|unlike) (?:with|on)|than|vs\.?|versus|instead of|back (?:on|to)|switch(?:ed|ing)? (?:\p{L}+ )?to|zurück auf|zurück zu|de vuelta a|retour sous|replaced by|like|unlike|post|after|nach|après|tras|following|switch(?:ed|ing)? from|moving from|coming from|transition(?:ed|ing)? from|prior|previous|failed|no|not on|without|ohne|sin|sans|kein\w*|never on)\s+$/iu;
const LINKED_AFTER = /^(?![^.;!?\n]*?(?:\balso\b|[,:]\s*(?:so|now|then|and now)\b|\bso (?:she|he|they|we)\b|which is why|\bhence\b|\btherefore\b))[^.;!?\n]{0,32}?(?:on|with|from|after|since|of|unter|sous|con|bajo|mit|nach|avec|made (?:her|him|them|me) (?:quit|stop|drop|come off|switch from))\s+(?:(?:the|her|his|their|le|la|les|der|dem|den|el|los)\s+)?$|^\s*(?:the\s+)?$/iu;

/** A switch in one sentence: "switched … from X to ours", "passé de X à ours", "von X auf ours umgestellt". */
const SWITCH_VERB = /(?:switch|mov(?:ed|ing)|chang(?:ed|ing)|swap|convert|transition|umgestellt|umstellung|gewechselt|wechsel|pass[ée]|chang[ée]|cambi|pasamos|rotat)/iu;
const FROM_TO = /^\s*(?:to|onto|over to|zu|auf|à|a|por|pour|par|→|->)\s+$/iu;
/** "…to ours last month after repeated neutropenia holds": the harm is the reason for the switch. */
const SWITCH_REASON = /(?:after|because of|due to|for|owing to|given|wegen|nach|à cause d[eu']|pour|après|por|tras|debido a|por culpa de)\s+(?:[\p{L}'-]+\s+){0,3}$/iu;
/** The drug left in a switch whose reason is the harm (named after ours in the same sentence), or null. */
function switchedFrom(drugs: DrugMention[], h: Hit, sentence: Span, text: string): DrugMention | null {
  const inSentence = drugs.filter((d) => d.index >= sentence.start && d.index < h.index);
  for (const ours of inSentence.filter((d) => d.ours)) {
    const from = inSentence.find((d) => !d.ours && d.index < ours.index && FROM_TO.test(text.slice(d.index + d.words.length, ours.index)));
    if (!from || !SWITCH_VERB.test(text.slice(sentence.start, from.index))) continue;
    if (SWITCH_REASON.test(text.slice(ours.index + ours.words.length, h.index))) return from;
  }
  return null;
}

function suspectOf(drugs: DrugMention[], h: Hit, spans: Span[], text: string): DrugMention | null {
  const usable = drugs.filter((d) => !NOT_SUSPECT_BEFORE.test(text.slice(Math.max(0, d.index - 24), d.index)));
  const sentence = sentenceAt(spans, h.index);
  const left = switchedFrom(drugs, h, sentence, text);
  if (left) return left;
  const end = h.index + h.words.length;
  // Named right after the harm and linked to it.
  const linked = usable.find((d) => d.index >= end && d.index < sentence.start + sentence.text.length && LINKED_AFTER.test(text.slice(end, d.index)));
  if (linked) return linked;
  const earlier = usable.filter((d) => d.index < h.index);
  if (!earlier.length) return null;
  const last = earlier[earlier.length - 1]!;
  // Ours named earlier (the patient is on it) keeps ours a suspect even when another drug
  // was added since: an interaction is still a harm on our product, and causality is PV's call.
  return earlier.find((d) => d.ours) ?? last;
}
const hasRealPatient = (s: string) => /\b(?:my|our|this|the)\s+(?:pt|pts|patient|patients)\b|\bpt\b(?! education)|\bpt's\b|\bshe\b|\bhe\b|\bher\b|\bmi paciente|\bma patiente|\bmon patient|\bmeine[mr]? patient/i.test(s);
