import type { Cue, Language, PostKind } from '../classification';
import { isDrugLike } from './model';
import { maskClinical, polarity } from './polarity';
import { clip, hits, test, words, type Hit } from './text';

/**
 * The evidence the stance stage weighs, as named features with the post's own words. Each
 * family is a phenomenon clinicians write in (an outcome told in numbers, an access fight,
 * sarcasm, criticism of a trial's method, praise aimed at the EHR), in en / fr / de / es.
 * The weights that turn them into a stance are learned (see model.ts); the families and
 * their words are written by hand so they carry over to posts the model never saw.
 */

export interface Family {
  id: string;
  /** How a rep reads it on the card. */
  reason: string;
  re: RegExp;
}

const fam = (id: string, reason: string, alternatives: string[]): Family => ({ id, reason, re: words(alternatives) });

export const FAMILIES: Family[] = [
  fam('praise', 'praise', [
    'game[- ]?changer', 'first choice', 'go-?to', 'recommend\\w*', 'impressed', 'impressive', 'great', 'excellent', 'fantastic', 'amazing', 'thrilled', 'happy', 'grateful', 'love', 'loving', 'lov(?:e|ing) (?:it|this)', 'win', 'best', 'works?', 'worked',
    'beautifully', 'brilliant', 'remarkable', 'delighted', 'superb', 'solid', 'useful', 'effective', 'real option', 'progress', 'textbook', 'boring in the best way', 'happy with', 'doing (?:well|great|its job)', 'good drug', 'favou?rite', 'keeps? (?:working|going)',
    'excellente?', 'transformé', 'je recommande', 'top', 'bravo', 'efficace', 'bonne option', 'vont bien', 'changé ma pratique', 'excellente nouvelle',
    'beeindruckend', 'überzeugt\\w*', 'klare empfehlung', 'erste wahl', 'super', 'hervorragend', 'begeistert',
    'muy bien', 'excelente', 'victoria', 'buenas noticias', 'gran noticia', 'opción real', 'nunca habían estado tan bien', 'lo pongo antes', 'para mí',
    // Praise in idiom, without a lexicon word.
    'work(?:ed|s)? wonders', 'done (?:wonders|more for)', 'turned (?:\\p{L}+ )?(?:life )?around', 'big fan', 'changed my', 'smoothest', 'a dream', 'life-?changing', 'worth persevering', 'glad we',
  ]),
  fam('criticism', 'criticism', [
    'disappoint\\w*', 'not impressed', 'overhyped', 'over-?hyped', 'regret\\w*', 'terrible', 'awful', 'horrible', 'done with', 'never again', 'losing faith', 'frustrat\\w*', 'absurd', 'unacceptable', 'useless', 'fail(?:ed|s|ure)?', "isn'?t a good drug",
    'not a good', 'hate', 'worse', 'worst', 'cannot recommend', "can'?t recommend", 'not worth', 'rough', 'wearing thin', 'tired of', 'giving up', 'hesitant', 'cautious', 'thin', 'marginal', 'underwhelming', 'meh', 'not great', 'problem',
    'déçue?', 'dommage', 'indécent', 'ne se justifie pas', 'sans plus', 'mieux', 'pas convaincu\\w*', 'décevant',
    'enttäuscht', 'unfassbar', 'zu wenig', 'danke für nichts', 'keinen grund', 'nicht besser', 'schlecht',
    'decepción', 'qué pena', 'carísimo', 'no veo la ventaja', 'flojo', 'increíble', 'demasiado', 'ninguna ventaja', 'vuelvo a',
    // Criticism in idiom: a verdict without a strong negative word.
    'not a fan', 'letdown', 'dud', 'waste of (?:money|time)', 'did nothing', 'does nothing', "doesn'?t do enough", 'underwhelm\\w*', 'under-?delivering', 'overpriced', 'not living up', 'more trouble than', 'phasing (?:it )?out', 'headache', 'pain in the neck', 'wrecking',
    'stopped (?:using|recommending|prescribing)', 'going back to', 'pulled (?:\\p{L}+ )?(?:\\p{L}+ )?off', 'durchgefallen', 'nicht mehr', 'no aporta', 'dejado de', "n'apporte rien", 'plus de prescription',
  ]),
  // A function regained ("walking again", "wieder arbeitsfähig"), never a bare "again": "denied again" and "flared again" are bad news.
  fam('good_outcome', 'a good outcome', [
    'gone', 'resolved', 'cleared', 'clear(?:ed)? skin', 'clear', 'almost clear', 'back (?:at|to) work', 'back on the', '\\p{L}+ing again', 'walked', 'walking', 'off (?:home )?o2', 'no new (?:lesions|mets|metastatic disease)', 'partial response', 'complete response', 'pr holding',
    'stable disease', 'shrinking', 'down \\d+\\s*%', 'zero (?:admissions|recurrences|hospitali[sz]ations)', 'to 0', 'sleeping through', 'feel(?:s)? better', 'doing well', 'responding', 'response', 'remission', 'calm', 'intact', 'fine', 'quiet',
    'plus de (?:lésions|grattage|épanchement)', 'enfin', 'réponse partielle', 'a repris', 'dort', 'peau nette',
    'wieder (?:arbeiten|arbeitsfähig|laufen|joggen|gehen|schlafen|fit|im job)', 'erscheinungsfrei', 'halbiert', 'weg', 'abgeheilt', 'arbeitsfähig', 'partielle remission', 'stabile erkrankung',
    'ha vuelto', 'ninguno', 'respuesta parcial', 'ya no', 'camina', 'siguen respondiendo', 'sin diarrea', 'normales',
    // An earlier harm that settled, or events that stopped happening: good news in harm words.
    'settled(?: back)?', 'came back down', 'nothing since', 'no (?:more )?(?:exacerbations|admissions|flares|hospitali[sz]ations|hypos)', '(?:disease )?controlled', 'stronger', 'working full time', 'in remission',
    'passe vite', 'contrôlée?', 'aucune (?:exacerbation|hospitalisation)', 'keine (?:schübe|spitzen|anfälle)', 'luego nada', 'desapareció', 'sin ingresos', 'ningún ingreso', 'en remisión',
  ]),
  fam('bad_outcome', 'a poor outcome', [
    'progress(?:ed|ion|ing)', 'pd', "didn'?t work", 'did not work', "isn'?t working", 'not working', 'no response', 'no different', 'back to \\d+', 'flared', 'relaps\\w*', 'died', 'lost', 'shaken',
    'progredient', 'progression', 'perdu', 'progresión',
  ]),
  fam('access_complaint', 'a complaint about getting the product', [
    'prior auth(?:ori[sz]ation)? (?:denial|denied|expired|rejected)', 'denial', 'denied', 'step therapy', "'?fail(?:ed)?'? \\p{L}+ first", 'backorder\\w*', 'back-?order', 'shortage', 'out of stock', 'delay\\w*', 'took \\d+ days', 'waited \\d+', 'waiting (?:\\p{L}+ )?(?:weeks?|days?|months?|on|for)',
    'prior auth\\w*', 'non-?formulary', 'tier [3-5]', 're-?authori[sz]\\w*', 're-?verify', 'medical necessity', 'meets? criteria', 'allocated', 'supply constraints', 'zero \\p{L}+ (?:pens|vials)',
    'pa forms?', '\\d+(?:rd|th|nd) pa', 'copay', 'co-pay', 'too expensive', 'expensive', 'price', 'pricier', 'cost\\w*', 'insurer still says no', 'by fax', 'paperwork', 'appeal\\w*', 'not covered', 'off formulary',
    "can'?t get", "couldn'?t get", 'without (?:a |her |his |their )?dose', 'missed doses?', 'coinsurance', 'out of pocket', "won'?t cover", 'per fill', 'peer-to-peer', 'hoops', 'still waiting', 'weeks? (?:wait|delay)',
    'refus\\w*', 'abgelehnt', 'denegad\\w*', "semaines? d'attente", 'wartezeit', 'lista de espera',
    'widerspr\\w*', 'abandonnent', 'esperando', 'no eta', 'on hold',
    'rupture', 'lieferverzug', 'nicht lieferbar', 'engpass', 'teurer', 'kasse', 'rechazó', 'aseguradora', 'formulario', 'papeleo', 'tarde \\d+ semanas', 'prix', 'caro', 'kostet',
  ]),
  fam('access_win', 'an access win', [
    'genehmigt', 'copay (?:assistance|card|foundation)', 'down to \\$\\d+', 'to zero', 'accord obtenu', 'aprobad[oa]',
    'pa approved', 'approved same day', 'approved', 'covered', 'dropped the step therapy', 'added (?:it )?(?:to|as) (?:the )?(?:formulary|preferred)', 'preferred', 'now on (?:the|our)', 'cheaper', 'same day', 'first fill', 'in stock',
    'remboursé', 'aprobaron', 'incluido', 'dispensa', 'sin la semana', 'übernimmt', 'erstattet',
  ]),
  fam('method', 'criticism of the evidence', [
    'single[- ]arm', 'no control', 'uncontrolled', 'ci crossing', 'crossing 1', 'surrogate', 'cross-trial', 'vs\\.?', 'versus', 'compared (?:to|with)', 'head[- ]to[- ]head', 'contre', 'gegen', 'frente a', 'draw your own conclusions', 'just noting', 'no \\p{L}+ arm', 'not yet significant',
    'marketing', 'the rep said', 'detail aid', 'heavy lifting', 'enrolled \\d+', 'whole evidence base', 'non significative', 'no demostrada', 'comparaison', 'vergleich', 'only against', 'absolute difference', 'nnt',
    // How a trial's design is faulted without a negative word: who was compared, counted, enrolled.
    'no (?:active |randomi[sz]ed |blinded )?(?:comparator|control)', 'placebo[- ]?(?:arm|controlled)', 'open-label', 'immature', 'historical (?:controls?|chemo)', 'extrapolat\\w*', 'excluded', 'investigator-assessed', 'sponsor-funded', 'retrospective',
    'read the methods', 'comparator', 'control arm', 'endpoint', 'surrogat\\w*', 'keine daten', 'comparée? à', 'comparait', 'verglichen', 'comparado con', 'pocos pacientes', 'una población', 'in the narrowest sense', 'at your own risk', 'same range',
  ]),
  // A price quoted ("$480 a month", "60 euros al mes"): in a post about our product, mostly a complaint.
  fam('price', 'a price quoted', [
    '[$€£]\\s?\\d[\\d,.]*\\s?k?', '\\d[\\d,.]*\\s?k?\\s?(?:€|£|euros?|dollars?)', '(?:a|per|/) ?(?:month|year|fill|pen|vial)', 'al mes', 'par mois', 'pro monat', 'im monat', 'list price', 'priced',
    // A price compared: "four times generic apixaban", "das Dreifache", "cuesta más".
    '(?:two|three|four|five|\\d+)\\s?(?:x|times) (?:the price|more|as much|generic)', 'veces más', 'fois plus', 'das (?:doppelte|dreifache|vierfache)', 'cuesta\\w*', 'coûte\\w*', 'a lot more money', 'higher (?:list )?price', 'costs? more',
  ]),
  fam('sarcasm', 'sarcasm, read for what it means', [
    'oh (?:great|wonderful|good|joy|perfect)', 'love (?:how|that|when|practicing)', 'nothing says', 'gift that keeps on giving', 'sure\\.', 'sure', 'totally', 'what could go wrong', 'imagine my surprise', 'great design', 'very safe', 'definitely', 'truly', 'refreshing', 'gets to',
    '(?:great|brilliant|perfect|wonderful|fantastic|awesome|love it|unreal|amazing|genius|thanks|flawless \\p{L}+|stunning \\p{L}+)[.!]*\\s*$', 'if by', 'love that for',
    'i love this job', 'love (?:getting|a drug)', 'my favou?rite part', 'keeps the job', 'why yes', "i'?m sure that'?s", 'for the privilege', 'if i had a dollar', 'good thing', 'what could possibly go wrong', 'said nobody', 'ein traum', 'genial[.!]',
 'because of course', 'thanks for nothing', 'said no one', 'what a surprise', 'who could have guessed', 'yay', 'tolerating well, sure',
 'so (?:convenient|helpful|easy|fun|simple)', 'progress!', 'what a (?:joy|time|treat)', 'thanks,? (?:i guess|a lot)', 'cool cool', 'just what', 'exactly what (?:i|we) needed', '😒', '🤡', '🤦\\S*', 'mild\\. sure', 'lol', '🙃', '🙄', '/s', 'which is it', 'for whom', 'qué maravilla', 'génial, encore', 'heureusement que', 'toll,', 'danke für nichts', 'seguro que', 'me encanta que', 'prioridades',
  ]),
  fam('other_target', 'aimed at something other than the product', [
    'ehr', 'epic', 'order set', 'software', 'system', 'the form', 'fax', 'nothing against', 'not the drug', 'the drug is fine', 'problema del software', 'no del fármaco', 'insurer', 'insurance', 'pbm', 'pharmacy', 'radiology', 'attending',
  ]),
  fam('hedge', 'hedged or balanced', [
    'neither', 'not better', 'not worse', 'decent', 'carefully', 'learning curve', 'no signal', 'consistent', 'for completeness', 'just noting', 'ni l\'un ni', 'weder',
    'mixed', 'but', 'worth it for some', 'real costs', 'maybe', 'not every', 'jury', 'time will tell', "let'?s see", "we'?ll see", 'reasonable', 'for the right', 'depends', 'some', 'comparable', 'similar', 'about the same', 'pick based on', 'whichever',
    'mais', 'aber', 'pero', 'honnête', 'still open', 'waiting for', 'if true',
    // Both sides weighed: "half my pts… the other half", "case by case", "one option among several".
    'half (?:my|of)', 'others', 'either', 'both', 'pros', 'cons', 'case by case', 'cas par cas', 'caso por caso', 'selectively', 'for a few', 'not (?:a|the) (?:revolution|standout)', 'ni \\p{L}+ ni', 'net neutral', 'no strong feelings',
    'reserv\\w* (?:judg\\w*|mon avis)', 'forming an opinion', 'too early', 'à discuter', 'kein (?:abschließendes )?urteil', 'prudemment', 'cautiously', 'both things', 'has a place', 'a place', 'one (?:good )?option among', 'une option parmi', 'option parmi', 'una opción más', 'a wash', 'coin toss', 'hit or miss', 'trade-?offs?', 'compromis', 'kompromiss\\w*',
  ]),
  fam('stopped', 'the product was stopped or held', [
    'stopp(?:ed|ing)', 'discontinu\\w*', "d/c'?d", "dc'?d", 'held', 'holding', 'hold(?:ing)? (?:it|the drug|drug)', 'came off', 'taken off', 'switch(?:ed|ing)(?: (?:him|her|them))? to', 'switching', 'pulled (?:it|the plug)', 'abandon\\w*', 'gave up on', 'done with',
    'arrêt\\w*', 'arrêté', 'stoppé', 'abgesetzt', 'pausiert', 'umgestellt', 'suspend\\w*', 'retirado', 'retiramos', 'cambiamos a',
  ]),
  fam('kept_on', 'kept on the product', [
    'stay(?:s|ing)? on', 'kept (?:on|going)', 'keep(?:ing)? (?:on|going|it|her|him)', 'continu\\w*', 'restart\\w*', 'rechallenge\\w*', 'without stopping', 'no need to stop', 'wants to stay', 'still on',
    'sans arrêt', 'poursuit', 'poursuivi', 'on continue', 'weiter', 'fortgesetzt', 'seguimos', 'sigue con', 'continúa', 'sin suspender',
    // Treating through a harm, told calmly: a report, not a verdict.
    'carrying on', 'pushed through', 'resum\\w*', 'next (?:dose|injection) (?:kept|given|on schedule)', 'not stopping', 'back (?:at|on|to) \\d+\\s?mg', 'wants to (?:continue|keep)', 'staying on',
    'back on (?:it|the drug)', 'back at \\d+', 'stayed (?:on|at)', 'reintrodu\\w*', 'wieder angefangen', 'wieder angesetzt', 'reprise', 'maintenu', 'mantuvimos',
  ]),
  // Reported or documented as protocol asks: the register of a calm safety report.
  fam('reported', 'reported as a case, calmly', [
    'reported', 'reporting (?:it|this)', 'documenting', 'documented', 'noted', 'per protocol', 'filed', 'yellow card', 'medwatch', 'pharmacovigilance', 'signalé', 'déclaré', 'gemeldet', 'notificado', 'notifiqué',
  ]),
  // A harm handled and moving on: symptomatic treatment, a recheck, a resolution, the plan kept. With
  // a harm and no verdict, the register of a calm safety report (neutral), not of a complaint.
  fam('managed', 'a harm handled, the plan kept', [
    'paracetamol', 'acetaminophen', 'antihistamine\\w*', 'lozenges?', '(?:eye )?drops', 'lubricants?', 'cold pack', 'soaks', 'topical \\p{L}+', '(?:oral )?iron', 'furosemide', 'loperamide', 'antiemetic\\w*', 'symptomatic\\w*', 'supportive',
    're-?check\\w*', 'repeat(?:ed)? \\p{L}+', 'monitor(?:ed|ing)', 'watching', 'observ(?:ed|ing)', 'fine (?:now|the day after|since)', 'eased', 'improving', 'went away', 'goes away', 'gone (?:by|in|within)', 'back to normal', 'normali[sz]ed',
    'uneventful', 'no further (?:issues|problems|episodes)', 'without (?:it )?(?:returning|recurrence)', 'as planned', 'as usual', 'on schedule', 'unchanged', 'same (?:dose|plan|schedule)', 'finished (?:the|all)', 'completed', 'next (?:dose|one|injection) (?:in|due|as)', 'shrugs? it off', 'logg(?:ed|ing)',
    'paracétamol', 'collyre', 'larmes artificielles', 'lopéramide', 'résolu\\w*', '(?:ça )?va mieux', 'sans problème', 'inchangée?', 'comme prévu', 'surveill\\w*', 'mené à terme', 'on garde',
    'symptomatisch\\w*', 'problemlos', 'ohne (?:probleme|befund)', 'unverändert', 'beibehalten', 'wie geplant', 'beobachten', 'abgeklungen', 'läuft weiter',
    'resuelt[oa]', 'sin cambios', 'como estaba previst[oa]', 'mantenemos', 'vigila\\w*', 'sin problemas', 'normalizad[oa]', 'curad[oa]',
  ]),
  // The clinician's own verdict on using the product again: what turns a harm report into a complaint.
  fam('judged', 'the clinician will not use it again', [
    'not (?:re)?start(?:ing)?', 'permanently', 'définitif', 'endgültig', 'definitiv\\w*', "won'?t (?:re)?(?:start|use|prescribe|rechallenge)", 'not rechalleng\\w*', 'for good', 'rethink\\w*', 'pickier', 'wary', 'nervous', 'not comfortable', 'uncomfortable', 'deal-?breaker', 'never again', 'anymore', 'no longer',
    "can'?t (?:say i )?blame", 'refuses?', 'begging', 'scared', 'shaken', "(?:not|wasn'?t|isn'?t) worth", '(?:second|third|fourth|fifth) (?:time|case|one|bleed|episode)',
    'je ne le reprendrai', 'plus jamais', 'réfléchis', 'ne veut plus', 'deuxième cas', 'nicht mehr', 'erledigt', 'nervös', 'will keine', 'kein standard', 'zweiter fall', 'no lo vuelvo', 'nunca más', 'me preocupa', 'segundo caso',
  ]),
  // Practice moving toward the product: adopted as the default, rolled out to the rest.
  fam('adopts', 'the clinician is adopting it', [
    'my (?:go-?to|default|first choice|first-line)', 'become my', 'putting (?:the rest|everyone|all)', 'moving the rest', "we'?re keeping it", 'first (?:choice|pick)', 'the rest (?:of \\p{L}+ )?(?:on it|forward)', 'sitio fijo', 'ya tengo otros',
    'erste wahl', 'bekommen jetzt alle', 'premier choix', 'on passe les suivants', 'primera (?:elección|opción)', 'a todos los candidatos',
  ]),
  // Practice staying elsewhere: the clinician keeps patients on, or picks, something else.
  fam('declines', 'the clinician keeps to something else', [
    'stick(?:ing)? with', 'stay(?:ing)? with', 'keep (?:my |our )?(?:pts?|patients) on', 'stay on what', "(?:not|isn'?t) on my list", 'for last', 'last resort', 'no lo elijo', 'no entra', 'kein thema', 'je reste (?:aux|à|sous|avec)',
    'ich bleibe (?:bei|beim)', 'beim bewährten', "won'?t switch", 'not switching', 'switch \\p{L}+ back',
  ]),
  // Dismissal by rhetoric, not by a negative word: "I'll just leave that there", "says little about my patients".
  fam('dismissive', 'a dismissive remark', [
    'leave (?:that|this|it) (?:there|here)', 'mehr muss man', 'sagt (?:\\p{L}+ )?wenig', 'tells? (?:me|us) nothing', 'says? little', 'dit peu', 'dice poco', 'flatter\\w*', 'where (?:this|it) fits', 'explain (?:to )?me', 'tell me again', 'chose not to',
    'baked in\\w*', 'before quoting', 'not a new era', 'kein durchbruch', 'pas une révolution', 'no es una revolución', "(?:isn'?t|not) (?:theirs|mine)", "somebody else'?s", 'so what', 'et alors', 'y qué', 'who (?:is|was) (?:this|it) for', 'on paper',
  ]),
  fam('severe', 'a serious outcome', [
    'admitted', 'admission', 'hospitali[sz]\\w*', 'icu', 'ed', 'er', 'emergency', 'grade [34]', 'g[34]', 'life-threatening', 'fatal', 'died', 'death', 'intubat\\w*', 'telemetry', 'code',
    'hospitalisée?', 'urgences', 'réa', 'stationär\\w*', 'notaufnahme', 'intensiv\\w*', 'ingres\\w*', 'urgencias', 'uci',
  ]),
  fam('asks_peers', 'asks colleagues, not a verdict', [
    '(?:has |have )?(?:anyone|anybody|any of you|others)(?: else)? (?:seen|had|noticed|observed|run into|experienced)', 'is (?:this|it) a (?:known )?thing', 'curious if', 'just curious', 'thoughts\\?',
    "quelqu'un a (?:déjà )?(?:vu|eu|observé)", 'des retours', 'hat (?:das )?(?:sonst )?(?:noch )?jemand', 'erfahrungen', 'alguien (?:más )?(?:ha )?(?:visto|tenido)', '¿?os ha pasado',
  ]),
  fam('not_the_drug', 'blamed on something other than the product', [
    'not (?:a |the )?(?:drug|med|medication)(?:\'s)?(?: (?:problem|issue|fault))?', 'not (?:a |an )?\\p{L}+ (?:problem|issue)', 'a systems? (?:one|problem|issue)', 'the wrong drug', 'blames? the', 'nothing to do with', 'unrelated', 'turns? out (?:it|he|she|they) (?:had|was)', 'coincidence', 'never (?:filled|started|took)',
    "(?:is|isn'?t|not) the problem", 'nicht das problem', 'nichts zu tun', "n'y est pour rien", 'no es el problema', 'da igual', 'peu importe', 'egal ob', 'whatever you think of', 'long before', 'policy', 'administrators?', 'admin', 'staffing', 'capacity', 'throughput', 'ne vient pas du', 'pas le médicament', 'nicht (?:das|am) (?:medikament|präparat)', 'no (?:es )?(?:culpa )?del fármaco',
  ]),
  fam('scare_quotes', 'words put in quotes', ["['‘\"“][\\p{L}][\\p{L} -]{2,30}[\\p{L}]['’\"”]"]),
  fam('news', 'news or data, not an opinion', [
    'press release', 'topline', 'published', 'presented', 'poster', 'abstract', 'nccn', 'guidelines?', 'heads up', 'fyi',
    'label update', 'new label', 'fda', 'approv\\w*', 'read-?out', 'orr', 'm?pfs', 'trial', 'asco\\w*', 'esc', 'teaching', 'thread', 'pearl', 'tip', 'psa', 'reminder', 'update', 'now', 'zulassung', 'fachinfo', 'résumé', 'hinweis', 'guía',
  ]),
];

export interface Measured {
  features: Record<string, number>;
  cues: Record<string, Cue[]>;
}

const num = (s: string) => Number(s.replace(',', '.'));
/** Measures where a rise is good news; for the rest (scores, labs, admissions) a fall is. */
const HIGHER_BETTER = /^(?:lvef|ef|fevi|6mwt|6mwd|sats?|o2|spo2|hb|walk\w*|distance|response|orr)$/i;
/**
 * The same measures named a few words before the numbers ("6MWT went 240 -> 390", "FEVI remontée
 * de 30 à 45", "VEMS de 1,6 à 2,1 L"): the word just before them is often a verb, not the measure.
 */
const HIGHER_BETTER_NEAR = /(?<![\p{L}\d])(?:lvef|ef|fevi|6mwt|6mwd|sats?|spo2|hb|hgb|walk\w*|distance|response|orr|fev1|vems|bcva|letters|lettres|buchstaben|egfr|gfr|dfg|hdl|platelets?|plt)(?![\p{L}])/iu;
const CHANGE = /([\p{L}][\p{L}\d-]*)?\s*(?:of|from|de|von|went|was)?\s*(\d+(?:[.,]\d+)?)\s*%?\s*(?:->|→|to|a|auf|à)\s*(\d+(?:[.,]\d+)?)\s*%?/giu;

/** Numbers that moved: "EASI 28 -> 4" is good news without a sentiment word. */
function changes(text: string): { good: Hit[]; bad: Hit[] } {
  const good: Hit[] = [];
  const bad: Hit[] = [];
  // A change needs two numbers; the pattern backtracks over every word, so skip posts without a digit.
  if (!/\d/.test(text)) return { good, bad };
  CHANGE.lastIndex = 0;
  for (let m = CHANGE.exec(text); m; m = CHANGE.exec(text)) {
    const name = m[1] ?? '';
    const a = num(m[2]!), b = num(m[3]!);
    if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) continue;
    // Doses ("160 to 120 mg") and dates are not outcomes.
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 4);
    if (/^\s*(?:mg|bid|wk|week|month|mo\b|day|h\b)/i.test(after) || /^(?:mg|dose|from|reduced|weeks?|months?)$/i.test(name)) continue;
    const rel = Math.abs(b - a) / Math.max(Math.abs(a), 1e-9);
    const up = b > a;
    const higherBetter = HIGHER_BETTER.test(name) || HIGHER_BETTER_NEAR.test(text.slice(Math.max(0, m.index - 24), m.index + (m[1]?.length ?? 0)));
    const better = higherBetter ? up : !up;
    const hit = { words: m[0].trim(), index: m.index };
    if (better && rel >= 0.25) good.push(hit);
    else if (!better && rel >= 0.15) bad.push(hit);
  }
  return { good, bad };
}

export interface StanceContext {
  text: string;
  language: Language;
  kind: PostKind;
  adverseEvent: boolean;
  medicalQuestion: boolean;
  /** VADER's compound on the text (English, general posts only), else null. */
  vader: number | null;
  /** Whether a piece of text names our product (brand or generic). */
  namesOurs?: (text: string) => boolean;
  /** Whether a word is one of our product's names. */
  isOurs?: (word: string) => boolean;
}

/** Someone or something other than our product a clinician praises or blames. */
const OTHER_TARGET = words([
  'ehr', 'epic', 'cerner', 'order sets?', 'software', 'the system', 'fax\\w*', 'insurer\\w*', 'insurance', 'payer', 'pbm', 'medicare', 'medicaid', 'cigna', 'aetna', 'bcbs', 'united', 'pharmacy', 'wholesaler', 'hub', 'radiology', 'attending', 'admin\\w*', 'hospital', 'discharge',
  'kasse', 'krankenkasse', 'versicherung', 'mutuelle', 'sécu', 'aseguradora', 'seguro', 'sistema', 'logiciel',
]);
const namesOtherDrug = (sentence: string, isOurs?: (w: string) => boolean) => (sentence.match(/\p{L}{4,}/gu) ?? []).some((w) => isDrugLike(w) && !isOurs?.(w));

const sq = (x: number) => x / (x + 3);

/**
 * Verdicts whose target matters: sarcasm about the EHR or praise of a colleague is not a verdict
 * on our product. Each hit is credited to what its sentence names (or, for a short sign-off
 * naming nothing, the sentence before it).
 */
const AIMED = new Set(['praise', 'criticism', 'sarcasm', 'access_complaint', 'judged', 'declines', 'adopts', 'stopped', 'kept_on']);
/** A sentence's end, tested per character (a regexp per character costs more than the rest of the walk). */
const isStop = (c: string | undefined): boolean => c === '.' || c === '!' || c === '?' || c === ';' || c === '\n';
function sentenceBefore(text: string, end: number): [number, number] {
  let a = end;
  while (a > 0 && !isStop(text[a - 1])) a--;
  return [a, end];
}
/** Co-medications whose stopping is good news ("OCS stopped", "insuline basale arrêtée"): the other drug for `stopped`. */
const CO_MEDS = words(['steroids?', 'ocs', 'prednis\\w*', 'cortico\\w*', 'kortison', 'cortisone', 'insulin\\w*', 'sulfonylurea', 'sulfamidés?', 'opioids?', 'rescue \\p{L}+']);
/** What a post could aim a verdict at, worked out once per post (the per-sentence tests below are skipped when the post has none). */
interface Aim {
  ctx: StanceContext;
  otherDrug: boolean;
  otherTarget: boolean;
  /** Sentence start → what the sentence names, so each sentence is tested once. */
  seen: Map<number, number>;
}
const NAMES_OURS = 1, NAMES_OTHER = 2;
function names(aim: Aim, a: number, b: number): number {
  const hit = aim.seen.get(a);
  if (hit !== undefined) return hit;
  const sentence = aim.ctx.text.slice(a, b);
  let n = 0;
  if (aim.ctx.namesOurs?.(sentence)) n |= NAMES_OURS;
  if ((aim.otherDrug && namesOtherDrug(sentence, aim.ctx.isOurs)) || (aim.otherTarget && test(OTHER_TARGET, sentence))) n |= NAMES_OTHER;
  aim.seen.set(a, n);
  return n;
}
function aimedAt(aim: Aim, index: number, comedIsOther: boolean): 'ours' | 'other' | 'both' | null {
  const { text } = aim.ctx;
  let [a] = sentenceBefore(text, index);
  let b = index;
  while (b < text.length && !isStop(text[b])) b++;
  for (let tries = 0; tries < 2; tries++) {
    const n = names(aim, a, b);
    const ours = (n & NAMES_OURS) !== 0;
    const other = (n & NAMES_OTHER) !== 0 || (comedIsOther && test(CO_MEDS, text.slice(a, b)));
    if (ours || other) return ours && other ? 'both' : ours ? 'ours' : 'other';
    // Step back over the stop characters to the sentence before.
    let e = a;
    while (e > 0 && (isStop(text[e - 1]) || text[e - 1] === ' ' || text[e - 1] === '\t')) e--;
    if (e <= 0) break;
    b = e;
    [a] = sentenceBefore(text, e);
  }
  return null;
}

/**
 * Evidence that means something else in company: praise next to an access fight or a harm is
 * sarcasm or a trade-off, a harm the clinician keeps treating through is a report, not a
 * verdict. Each pair present becomes a feature of its own (0 or 1), so
 * the model can weigh the combination, not just its parts.
 */
const SEEMS_GOOD = ['fam:praise', 'lex:pos', 'fam:good_outcome', 'change:good', 'fam:access_win', 'tail:short_pos'];
const CONTEXT = ['fam:declines', 'fam:access_complaint', 'fam:sarcasm', 'fam:scare_quotes', 'fam:criticism', 'fam:bad_outcome', 'change:bad', 'ae', 'fam:stopped', 'fam:kept_on', 'fam:not_the_drug', 'fam:method', 'fam:price', 'fam:other_target', 'fam:hedge', 'lex:neg', 'fam:severe'];

export function measure(ctx: StanceContext): Measured {
  const features: Record<string, number> = {};
  const cues: Record<string, Cue[]> = {};
  const add = (id: string, value: number, cue?: Cue) => {
    features[id] = (features[id] ?? 0) + value;
    if (cue) (cues[id] ??= []).push(cue);
  };
  // Another drug named (by its INN stem): opinions near it may be about it, not ours.
  const otherDrug = (ctx.text.match(/\p{L}{4,}/gu) ?? []).find((w) => isDrugLike(w) && !ctx.isOurs?.(w));
  const aim: Aim = { ctx, otherDrug: otherDrug !== undefined, otherTarget: test(OTHER_TARGET, ctx.text), seen: new Map() };
  for (const f of FAMILIES) {
    const hs = hits(f.re, ctx.text);
    if (hs.length) {
      add(`fam:${f.id}`, Math.min(hs.length, 3) / 3);
      for (const h of hs.slice(0, 2)) (cues[`fam:${f.id}`] ??= []).push({ words: clip(h.words), reason: f.reason });
      if (AIMED.has(f.id)) for (const h of hs.slice(0, 3)) {
        const where = aimedAt(aim, h.index, f.id === 'stopped');
        if (where) features[`at:${f.id}:${where}`] = 1;
      }
    }
  }
  // Polarity by sentence and by what the sentence is about: praise of another drug or blame of
  // the EHR is not a verdict on ours; the last sentence is often the poster's conclusion.
  const spans = ctx.text.split(/(?<=[.!?;])\s+|\n+|\s(?:but|mais|aber|pero)\s/iu).filter((x) => x.trim());
  // A verdict told before or beside a question ("Love what it has done for my pts. Any guidance
  // on dosing in Ramadan?") is still a verdict: the statements' polarity is summed on its own.
  const asks = /[?¿]/.test(ctx.text);
  // Clinical phrases masked once for the whole post; each clause's polarity reads its slice.
  const masked = maskClinical(ctx.text, ctx.language);
  let cursor = 0;
  let stmtPos = 0, stmtNeg = 0;
  if (spans.length > 1 || ctx.namesOurs) {
    spans.forEach((sentence, i) => {
      // Clauses too ("Love Kalvexo, hate our scheduling software"): each clause's polarity goes
      // to what that clause names: ours, something else, or both at once ("the portal that sends
      // Pruvexa reminders on the wrong week" is not a verdict on the drug alone). A sentence's
      // polarity is its clauses' sum: one polarity pass per clause keeps the stage fast.
      let pos = 0, neg = 0;
      for (const clause of sentence.split(/,\s+|\s[-–—]\s/u)) {
        const at = ctx.text.indexOf(clause, cursor);
        if (at >= 0) cursor = at + clause.length;
        const p = at >= 0 ? polarity(masked.slice(at, at + clause.length), ctx.language, true) : polarity(clause, ctx.language);
        if (!p.positive && !p.negative) continue;
        pos += p.positive;
        neg += p.negative;
        const ours = ctx.namesOurs?.(clause) ?? false;
        // Only a post that names another drug or target somewhere can name one in a clause: the per-clause tests are skipped otherwise.
        const other = (aim.otherDrug && namesOtherDrug(clause, ctx.isOurs)) || (aim.otherTarget && test(OTHER_TARGET, clause));
        const where = ours && other ? 'both' : ours ? 'ours' : other ? 'other' : null;
        if (where) {
          if (p.positive) add(`lex:${where}_pos`, sq(p.positive));
          if (p.negative) add(`lex:${where}_neg`, sq(p.negative));
        }
      }
      if (asks && !/[?¿]/.test(sentence)) {
        stmtPos += pos;
        stmtNeg += neg;
      }
      if (i === spans.length - 1 && spans.length > 1) {
        if (pos) add('lex:last_pos', sq(pos));
        if (neg) add('lex:last_neg', sq(neg));
        // A short positive last word after a complaint ("Brilliant.", "Thanks.", "Genius.") is
        // the classic shape of sarcasm; crossed with the complaint below.
        if (pos > neg && (sentence.match(/\p{L}+/gu) ?? []).length <= 4) add('tail:short_pos', 1, { words: clip(sentence.trim()), reason: 'a short positive sign-off' });
      }
    });
  }
  if (stmtPos) add('lex:stmt_pos', sq(stmtPos));
  if (stmtNeg) add('lex:stmt_neg', sq(stmtNeg));
  if (otherDrug && !features['fam:other_target']) add('fam:other_target', 1 / 3, { words: otherDrug, reason: 'another drug named' });
  const { good, bad } = changes(ctx.text);
  if (good.length) add('change:good', Math.min(good.length, 2) / 2, { words: clip(good[0]!.words), reason: 'a good outcome in numbers' });
  if (bad.length) add('change:bad', Math.min(bad.length, 2) / 2, { words: clip(bad[0]!.words), reason: 'a worse number' });
  add(`kind:${ctx.kind}`, 1);
  add(`lang:${ctx.language}`, 1);
  if (ctx.adverseEvent) add('ae', 1);
  if (ctx.medicalQuestion) add('mq', 1);
  if (/[?¿]/.test(ctx.text)) add('qmark', 1);
  if (/!/.test(ctx.text)) add('exclaim', 1);
  const pol = polarity(masked, ctx.language, true);
  const squash = (x: number) => x / (x + 3);
  if (pol.positive) add('lex:pos', squash(pol.positive), pol.cues.find((c) => c.reason === 'positive wording'));
  if (pol.negative) add('lex:neg', squash(pol.negative), pol.cues.find((c) => c.reason === 'negative wording'));
  if (pol.negated) add('lex:negated', Math.min(pol.negated, 2) / 2);
  if (pol.positive && pol.negative) add('lex:mixed', squash(Math.min(pol.positive, pol.negative)));
  for (const a of SEEMS_GOOD) {
    if (!features[a]) continue;
    for (const b of CONTEXT) {
      if (!features[b]) continue;
      const id = `x:${a}+${b}`;
      features[id] = 1;
      const cue = cues[b]?.[0] ?? cues[a]?.[0];
      if (cue) cues[id] = [cue];
    }
  }
  // A harm handled without the clinician's own verdict: the calm safety report, neutral.
  if (features.ae && features['fam:managed'] && !features['fam:judged'] && !features['fam:criticism'] && !features['fam:sarcasm']) features['x:ae+calm'] = 1;
  for (const b of ['fam:kept_on', 'fam:stopped', 'fam:not_the_drug', 'fam:hedge', 'fam:severe', 'fam:reported', 'fam:managed', 'fam:judged']) {
    if (features.ae && features[b]) {
      features[`x:ae+${b}`] = features[b]!;
      if (cues[b]) cues[`x:ae+${b}`] = cues[b]!;
    }
  }
  // The same evidence means different things by post kind (criticism in a question is still
  // a question; a harm in a case report is not a harm quoted in a trial read-out).
  for (const id of Object.keys(features)) {
    if (id.startsWith('fam:') || id.startsWith('lex:') || id.startsWith('change:') || id === 'ae') features[`${ctx.kind}&${id}`] = features[id]!;
  }
  return { features, cues };
}
