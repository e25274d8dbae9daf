import type { Cue, MedicalQuestionFinding, MedicalTopic } from '../classification';
import { flagProbability, flagTokens, ngramFeatures, type FlagWeights } from './flag-model';
import mqTrained from './mq-weights.json';
import { clip, first, sentenceAround, sentences, weightRows, words, type Span } from './text';

/**
 * Medical question: the post asks, or solicits experience ("has anyone…", "thoughts?"),
 * about dosing, administration, unapproved populations or indications, combinations or
 * interactions. Only Medical Information may answer, even when what is asked is on label.
 * Not: statements, access or coverage questions, "has anyone seen this side effect?" alone.
 */

/** A sentence that asks: a question mark, or a phrase that solicits experience. */
const ASK_WORDS = [
  'has anyone', 'have you', 'anyone', 'anybody', 'any(?:one)? experience', 'thoughts', 'how do (?:you|people|we)', 'how are (?:you|people)', 'what do (?:you|people|we)', 'what would you', 'would you',
  'curious (?:what|how|if|whether)', 'wondering', 'do i', 'should i', 'should we', 'can i', 'can we', 'ok to', "what'?s your", 'which do you', 'is it (?:ok|safe|reasonable)', 'any role', 'how long', 'how much',
  'genuinely asking', 'asking for', 'quick q', 'dose q', 'fellow q', 'intern q', 'q for', 'question',
  "quelqu'un", 'avez-vous', 'vous faites', 'votre pratique', 'des retours', 'on décale', 'est-ce qu', 'peut-on', 'question pratique',
  'jemand', 'erfahrungen', 'habt ihr', 'geht ihr', 'macht ihr', 'frage an', 'kann man', 'darf (?:man|die|der)', 'gibt es',
  'alguien', 'experiencia', 'usaríais', 'estáis', 'bajáis', 'suspendéis', 'cambiamos', 'se puede', 'duda', 'pregunta', 'any rationale', 'any data', 'any evidence', 'what are people doing', 'en pratique', 'vous faites comment', 'précautions',
  'would appreciate', 'input', 'advice', 'how do you handle', 'how would you', 'what would you do', 'wie handhabt ihr', 'qué hacéis', 'cómo lo hacéis',
  // Soliciting experience without a question mark ("looking for experience with…", "curious how others…").
  'looking for (?:experience|advice|input|thoughts|data|tips|pointers|guidance|opinions)', 'curious how', '(?:would )?love to hear', 'keen to hear', 'grateful for', 'any pointers', 'pointers', 'how (?:others|colleagues|you all|everyone)',
  // Asking colleagues in the second person plural, whatever the verb ("vous arrêtez ou vous continuez ?", "setzt ihr…", "mantenéis…").
  '(?:what|how) (?:is|are|does|do) (?:everyone|everybody|people|others|you all|y\'all)', 'is everyone', 'vous (?:\\p{L}+ )?\\p{L}{3,}ez', '\\p{L}{2,}t ihr', '\\p{L}{3,}(?:áis|éis)',
  'second opinion', 'opinions? (?:welcome|wanted|please)', 'besoin de vos avis', 'vos avis', 'avis (?:des|de la|bienvenus)', 'je cherche', "retours? d'expérience", 'suche erfahrung\\p{L}*', 'bitte um', 'für (?:jeden )?(?:tipp|rat|hinweis) dankbar', 'agradecería', 'busco (?:experiencia|consejo|opiniones)', 'consejos', 'opiniones',
];
const ASKS = words(ASK_WORDS);

const TOPIC_WORDS: { topic: MedicalTopic; list: string[]; about: string }[] = [
  {
    topic: 'dosing',
    about: 'dosing',
    list: [
      'dos(?:e|es|ing|age|ed)', 'doses?', 'mg', 'titrat\\w*', 'uptitrat\\w*', 'up-?titrat\\w*', 're-?escalat\\w*', 'reduc\\w*', 'step[- ]?downs?', 'q\\d+w', 'q\\d+ ?weeks', 'space (?:it|them|doses) out', 'every (?:other|\\d+) weeks?', 'how much', 'how often',
      'hold(?:ing)?', 'stop(?:ping)?', 'continu(?:e|ing)', 'restart(?:ing)?', 'paus(?:e|ing)', 'finish(?:ing)? (?:all|the course|the \\d+)', 'stretch(?:ing)? (?:the )?interval', 'spac(?:e|ing) (?:out|the)', 'wait (?:how long|before|until|\\d+)', 'how long (?:to|should|do you|did you|before)', 'taper\\w*', 'wean\\w*', 'drop (?:the|it)', 'de-?escalat\\w*', 'skip (?:a|the) dose', 'rechallenge\\w*', 'cutoff', 'cut-off', 'threshold', 'loading', 'bid', 'schedule', 'dose adjustment', 'drop the dose', 'interval', 'absetz\\p{L}*', 'weiterführ\\p{L}*',
      // how long, and around procedures: whether to hold, when to restart
      'how long (?:do|to|should|would|before|after)', 'duration', 'drug holiday', 'surgery', 'perioperat\\p{L}*', 'pre-?op', 'dental (?:work|extraction|surgery|implant)s?', 'tooth (?:pulled|extraction)', 'procedure', 'durée', 'chirurgie', 'opération', 'behandlungsdauer', 'wie lange', 'operation', 'duración', 'cuánto tiempo', 'cirugía', 'extracción',
      'dosis', 'dosierung', 'dosisanpassung', 'reduzieren', 'pausieren', 'bajáis', 'suspendéis', 'pautando', 'titular', 'dose de charge', 'réduire', 'décale', 'reprendre', 'weitergeben',
    ],
  },
  {
    topic: 'administration',
    about: 'administration',
    list: [
      'with food', 'without food', 'empty stomach', 'food', 'crush\\w*', 'split', 'open(?:ed)? (?:the )?caps\\w*', 'caps can be opened', 'applesauce', 'feeding tube', 'g-?tube', 'inject\\w*', 'injection site', 'thigh', 'abdomen', 'back of the arm',
      'pen', 'syringe', 'store[ds]?', 'storage', 'fridge', 'refrigerat\\w*', 'room temperature', 'missed (?:a )?dose', 'miss(?:es)? (?:a|an) (?:dose|injection)', 'same day', 'timing', 'take it', 'taken',
      'stability', 'pill (?:organi[sz]er|box)', 'monitor(?:ing)?', 'recheck', 're-check', '(?:check|repeat)(?:ing)? (?:labs|bloods|levels|calcium|vitamin d|ecg|lfts|the eye exam)', 'inhaler technique', 'spacer', 'nebuli[sz]\\p{L}*', 'surveillance', 'überwach\\p{L}*', 'kontrolle\\p{L}*', 'seguimiento', 'control(?:es)? analític\\p{L}*', 'dosette', 'blister', 'packaging', 'travel\\w*', 'time of day', 'morning or (?:at )?night',
      'open(?:ed|ing)? (?:the |it|them)?', 'mix(?:ed|ing)? (?:into|with|in)', 'sprinkl\\p{L}*', 'dissolv\\p{L}*', "(?:can'?t|cannot|unable to) swallow", 'infusion (?:time|rate)', 'ouvrir', 'mélanger', 'öffnen', 'auflösen', 'abrir', 'disolver',
      'écraser', 'gélules', 'sonde', 'injection', 'rater une injection', 'ungekühlt', 'fertigspritze', 'einstich\\w*', 'triturar', 'partir', 'inyectar', 'muslo', 'comprimido', 'absorción', 'mismo día', 'le même jour',
    ],
  },
  {
    topic: 'population',
    about: 'use in a special population',
    list: [
      'child(?:ren)?', 'kids?', 'p(?:a)?ediatric', '(?:[1-9]|1[01])\\s*(?:y/?o|yo|year[- ]old|yrs?)', 'teens?', 'pregnan\\w*', 'ivf', 'breast-?feed\\w*', 'lactat\\w*', 'elderly', 'frail', '(?:8|9)\\d\\s*(?:y/?o|yo)', '(?:8|9)\\dyo',
      'egfr\\s*(?:of\\s*)?(?:<\\s*)?[12]\\d', 'egfr\\s*<\\s*30', 'dialysis', 'renal impairment', 'child-?pugh', 'hepatic impairment', 'liver (?:mets|impairment)', 'aortic stenosis',
      'enfants?', 'enceinte', 'grossesse', 'ado(?:lescent)?s?', 'kinder\\w*', 'schwanger\\w*', 'kinderwunsch', 'dialyse', '\\d+-jährig\\w*', 'niños?', 'niña', 'embaraz\\w*', 'ancianos', 'mayores de \\d+', 'tfg\\s*\\d+', 'menores de \\d+',
    ],
  },
  {
    topic: 'indication',
    about: 'an unapproved use',
    list: [
      'off[- ]label', 'first[- ]line',
      // asking to use the product for someone or something: "can it be used in", "tried it for"
      'used? (?:it |this |\\p{L}+ )?(?:in|for) (?:a|an|her|his|my|our|someone|pts?|patients?|kids?|children)', 'tr(?:y|ied|ying) (?:it |this |\\p{L}+ )?(?:for|in)', 'start(?:ing)? (?:it |this |\\p{L}+ )?in (?:a|an|someone|my|pts?|patients?)',
      'in (?:a |an )?(?:pt|patient|someone|pts|patients|man|woman) (?:with|whose|who)', 'in someone', 'rationale', 'wants to try', 'worth trying', 'l\'utilise chez', 'utilisé chez', 'lo usáis en', 'einsetzen bei', 'einsatz bei', '1st[- ]line', 'frontline', 'l858r', 'exon 19', 'other mutations?', 'prurigo\\w*', 'psoriasis', 'hand eczema', 'hfpef', 'for (?:his|her) \\w+itis', 'outside the label', 'not approved',
      'hors amm', '1re ligne', 'première ligne', 'fuera de ficha', 'primera línea', 'nicht zugelassen', 'handekzem', 'erstlinie',
    ],
  },
  {
    topic: 'combination',
    about: 'a combination or interaction',
    list: [
      'combin\\w*', 'together', 'alongside', 'interact\\w*', 'cyp3a4', '3a4', 'with (?:an? )?(?:ace ?i|acei|ssri|statin|ppi|jak|arb)', '\\+\\s*\\p{L}+', 'sequenc\\w*', 'bridg\\w*', 'vaccines?', 'shots', 'antiemetic', 'antifungal',
      'plays nice', 'on top of', 'prophyla\\w*', 'premedicat\\w*', 'pre-?med\\w*', 'co-?prescri\\w*', '(?:sous|unter|bajo|under|still on) \\p{L}+(?:mab|nib|pril|sartan|azole|mycin|gliflozin|statin|olol|parin|xaban)', 'encore sous', 'concomitant', 'same time as', 'switch(?:ing)? (?:from|to)', 'ibuprof\\w*', 'nsaids?', 'omeprazol\\w*', 'ppi', 'metotrexato', 'methotrexate', 'itraconazol\\w*', 'fluconazol\\w*', 'ondansetron', 'pembro\\w*',
      'dapagliflozin\\w*', 'finerenone', 'spironolact\\w*', 'espironolactona', 'spiro', 'radiotherapy', 'thoracic rt', '\\brt\\b', 'with \\p{L}+(?:mab|nib|pril|sartan|azole|mycin|gliflozin)',
      'junto (?:a|con)', 'a la vez', 'avec', 'et (?:la |le )?\\p{L}+ine', 'zusammen mit', 'kombin\\w*',
    ],
  },
];

const TOPICS = TOPIC_WORDS.map(({ topic, list, about }) => ({ topic, about, re: words(list) }));

/**
 * The words that ask and those that name a topic, every one (exported so training can ask
 * which posts each catches); `mqVocabulary(keep)` rebuilds the patterns from a subset.
 */
export const MQ_VOCABULARY: readonly string[] = [...ASK_WORDS, ...TOPIC_WORDS.flatMap((t) => t.list)];
export interface MqVocabulary {
  asks: RegExp;
  topics: { topic: MedicalTopic; about: string; re: RegExp }[];
}
const DEFAULT_VOCABULARY: MqVocabulary = { asks: ASKS, topics: TOPICS };
export function mqVocabulary(keep: (alternative: string) => boolean): MqVocabulary {
  const some = (list: string[]) => words(list.filter(keep).concat('(?!)'));
  return { asks: some(ASK_WORDS), topics: TOPIC_WORDS.map(({ topic, list, about }) => ({ topic, about, re: some(list) })) };
}

const ACCESS = words([
  'tiers?', 'bridge (?:program|supply)', 'hub', 'benefits? investigations?', 'tricare', 'medicaid', 'medicare', 'nice', 'ifr', 'visado', 'cobertura', 'cubren', 'programa de ayuda', 'kostenvoranschlag', 'gkv', 'privatpatient\\w*', 'prise en charge', "autorisation d'accès",
  'allocat\\w*', 'supply', 'ship(?:s|ping|ped)?', 'specialty pharmacy', 'peer-to-peer', 'p2p', 'appeal', 'pbms?', 'payers?', 'plans?', 'pay(?:ing)? for', 'afford\\w*', 'assistance program', 'samples?',
  'prior auth\\w*', 'pa\\b', 'insurance', 'insurer', 'covered', 'coverage', 'copay', 'co-pay', 'formulary', 'part d', 'pbm', 'reimburs\\w*', 'in stock', 'price', 'cost', 'remboursé', 'kostenübernahme', 'kasse', 'einzelantrag', 'aseguradora', 'financia\\w*',
]);
/** "Has anyone seen X?": a signal question, not a request for Medical's advice. */
const SEEN_ONLY = words(['has anyone (?:else )?(?:actually )?(?:seen|noticed)', '(?:anyone|anybody) (?:else )?seen', 'does \\p{L}+ cause', 'alguien lo ha visto', 'jemand ähnliche beobachtungen', "quelqu'un a (?:déjà )?vu", 'anyone else (?:seeing|seen|noticed)', 'anybody else', '(?:anybody|anyone) seeing', 'is anyone (?:else )?seeing', 'are (?:people|others|you) seeing', 'does anyone (?:else )?see', 'alguien ha visto', "quelqu'un a déjà vu", 'hat das (?:sonst )?(?:noch )?jemand gesehen']);

const POPULATION_NAMES: [RegExp, string][] = [
  [/child|kid|p(?:a)?ediatric|\d\s*(?:y\/?o|yo|year|yrs)|teen|enfant|ado|kinder|niñ|menores/i, 'children'],
  [/pregnan|ivf|breast|lactat|enceinte|grossesse|schwanger|kinderwunsch|embaraz/i, 'pregnancy'],
  [/elderly|frail|ancian|mayores|[89]\d\s*y|jährig/i, 'older patients'],
  [/egfr|dialys|renal|tfg/i, 'kidney impairment'],
  [/child-?pugh|hepatic|liver/i, 'liver impairment'],
  [/aortic/i, 'aortic stenosis'],
];

/** Not a question for Medical: musing, rhetoric, a teaching point. */
const NOT_ASKING = words(['thinking out loud', 'rhetorical(?:ly)?', 'teaching moment', 'not a question', 'asking for a friend']);
/** Teaching and quizzes ask questions they answer themselves. */
const TEACHING = words(['(?:pop )?quiz', 'journal club', 'teaching', 'for (?:the )?(?:im |derm |onc )?(?:residents|fellows|students)', '#meded', 'reminder', 'answer:', 'not advice', 'what could possibly go wrong']);
/** A worry voiced as a question ("what if…?", "am I being paranoid?"). */
const WORRY = words(['what if', 'worried', 'paranoid', 'me preocupa\\w*', 'je crains', 'ich fürchte', 'nervous']);
/** A bare call for experience ("Thoughts?", "vous faites comment ?"): the question is what the post described. */
const BARE = /(?:^|[^\p{L}])(?:thoughts|any (?:experience|thoughts|input|data|rationale)|experiences?|input|ideas|what are people doing|what do (?:you|people) do|vous faites comment|des retours|erfahrungen|ideas|opiniones|alguna experiencia)\b[^?]{0,40}[?]/iu;

const MQ_WEIGHTS = mqTrained as unknown as FlagWeights;
const MQ_TRAINED = weightRows(MQ_WEIGHTS.weights).index.size > 0;

/**
 * The decision: a logistic regression over the rules' signals below (what asks, which topics,
 * access, "has anyone seen", a bare "Thoughts?") and the post's words (mq-weights.json, trained
 * by scripts/train-flags.ts on the HCP dev parts; threshold from leave-one-product-out CV).
 * The rules supply the topic, the summary and the cues.
 */
export function detectMedicalQuestion(text: string, spans: Span[] = sentences(text)): MedicalQuestionFinding | null {
  const r = mqRuleStage(text, spans);
  if (!MQ_TRAINED) return r.finding;
  const p = flagProbability(MQ_WEIGHTS, [...r.signals, ...ngramFeatures(flagTokens(text))]);
  if (p < MQ_WEIGHTS.threshold) return null;
  if (r.finding) return r.finding;
  // The model hears a question the rules could not place: name the likeliest topic, if any.
  const t = TOPICS.find((x) => first(x.re, text));
  const asked = spans.filter((s) => /[?¿]/.test(s.text)).pop() ?? spans[spans.length - 1]!;
  const summary = t ? `Question about ${t.about}` : 'Clinical question';
  return { topic: t?.topic ?? 'dosing', summary, cues: [{ words: askedSentence(text, asked), reason: `${summary} → Medical Information` }] };
}

/** The question as the card quotes it: the whole sentence, not the "5?" a split at "0.5" leaves. */
const askedSentence = (text: string, span: Span): string => sentenceAround(text, span.start + Math.max(0, span.text.search(/\S/)), 80);

/** The rules' signals and the post's words, as the MQ model reads them (for training). */
export function mqFeatures(text: string, vocabulary: MqVocabulary = DEFAULT_VOCABULARY): string[] {
  return [...mqRuleStage(text, sentences(text), vocabulary).signals, ...ngramFeatures(flagTokens(text))];
}

function mqRuleStage(text: string, spans: Span[], vocabulary: MqVocabulary = DEFAULT_VOCABULARY): { finding: MedicalQuestionFinding | null; signals: string[] } {
  const signals: string[] = [];
  const finding = mqRules(text, spans, signals, vocabulary);
  if (finding) signals.push('r:question');
  return { finding, signals };
}

function mqRules(text: string, spans: Span[], signals: string[], { asks, topics }: MqVocabulary): MedicalQuestionFinding | null {
  if (first(NOT_ASKING, text)) {
    signals.push('q:not-asking');
    return null;
  }
  if (/[?¿]/.test(text)) signals.push('q:mark');
  if (/[?¿]\s*(?:#\S+\s*)*$/.test(text.trim())) signals.push('q:ends-asking');
  for (const t of topics) if (first(t.re, text)) signals.push(`tt:${t.topic}`);
  if (first(ACCESS, text)) signals.push('q:access-any');
  if (first(TEACHING, text)) signals.push('q:teaching');
  if (first(WORRY, text)) signals.push('q:worry');
  // The sentences that ask; a post ending in a question often sets the scene before it.
  const asking = spans.filter((s) => s.text.includes('?') || s.text.includes('¿') || first(asks, s.text) !== null);
  if (!asking.length) return null;
  signals.push('q:asking');
  // "Has anyone seen X?" asks for a signal, not advice: what it names is not what the post asks.
  const advice = asking.filter((s) => !first(SEEN_ONLY, s.text));
  const bare = asking.some((s) => BARE.test(s.text));
  const askText = bare ? text : advice.map((s) => s.text).join(' ');
  if (bare) signals.push('q:bare');
  if (advice.length < asking.length) signals.push('q:seen-only');
  const found: { topic: MedicalTopic; about: string; words: string }[] = [];
  for (const t of topics) {
    // Topic words in the asking sentences count; the scene-setting ones count for the population.
    const hit = first(t.re, askText) ?? (t.topic === 'population' || t.topic === 'indication' ? first(t.re, text) : null);
    if (hit) found.push({ topic: t.topic, about: t.about, words: hit.words });
  }
  for (const f of found) signals.push(`t:${f.topic}`);
  const access = first(ACCESS, askText);
  if (access) signals.push('q:access');
  const seenOnly = advice.length < asking.length ? first(SEEN_ONLY, text) : null;
  const cues: Cue[] = [];
  if (!found.length) return null;
  // Access and "has anyone seen this?" questions belong elsewhere unless they also ask what to do.
  const management = found.filter((f) => f.topic !== 'combination' || !access);
  if (access && !management.some((f) => f.topic === 'dosing' || f.topic === 'administration' || f.topic === 'combination')) return null;
  if (seenOnly && !found.some((f) => f.topic === 'dosing' || f.topic === 'administration' || f.topic === 'combination' || f.topic === 'indication')) return null;
  const pick = (t: MedicalTopic) => found.find((f) => f.topic === t);
  const population = pick('population');
  const topic = (pick('population') ?? pick('indication') ?? pick('combination') ?? pick('dosing') ?? pick('administration'))!.topic;
  const action = pick('dosing') ?? pick('administration') ?? pick('combination') ?? pick('indication');
  let summary: string;
  if (population) {
    const who = POPULATION_NAMES.find(([re]) => re.test(population.words))?.[1] ?? 'a special population';
    summary = action && action.topic !== 'indication' ? `Question about ${action.about} in ${who}` : `Question about use in ${who}`;
  } else {
    summary = `Question about ${action!.about}`;
  }
  for (const f of found.slice(0, 3)) cues.push({ words: clip(f.words), reason: `Question about ${f.about} → Medical Information` });
  cues.unshift({ words: askedSentence(text, asking[asking.length - 1]!), reason: summary + ' → Medical Information' });
  return { topic, summary, cues: cues.slice(0, 3) };
}
