/**
 * Clinical language that a general-purpose sentiment lexicon reads backwards or not at all.
 * Each rule's words are masked before the general scorer runs (so "negative" in "negative
 * biopsy" no longer counts against the post) and the rule's own valence, on VADER's -4..+4
 * scale, is added instead. Valence 0 only masks: disease names and biomarker labels are the
 * subject of a clinical post, not the author's opinion of the product.
 */
export interface ClinicalRule {
  cue: string;
  pattern: RegExp;
  valence: number;
}

const rule = (cue: string, valence: number, pattern: RegExp): ClinicalRule => ({ cue, valence, pattern });

export const CLINICAL_RULES: readonly ClinicalRule[] = [
  // Good news that contains "negative", "no", "adverse" or a disease name.
  rule('negative biopsy', 1.6, /\bnegative\s+(?:biops(?:y|ies)|scans?|margins?|results?|tests?|screens?|pet|ct|mri|cultures?)\b/gi),
  rule('negative biopsy', 1.6, /\b(?:biops(?:y|ies)|scans?|margins?|results?|tests?|screens?|pet|ct|mri|cultures?)\s+(?:was|were|is|are|came\s+back|returned)\s+(?:all\s+)?(?:negative|clear|clean)\b/gi),
  rule('no serious adverse events', 1.8, /\b(?:no|without|zero)\s+(?:serious\s+|significant\s+|major\s+|new\s+|unexpected\s+|grade\s*[345]\s+)*(?:adverse\s+(?:events?|reactions?|effects?)|aes|saes|side[-\s]effects?|safety\s+signals?|toxicit(?:y|ies))\b/gi),
  rule('well tolerated', 2.0, /\bwell[-\s]tolerated\b/gi),
  rule('response to treatment', 2.0, /\b(?:complete|durable|partial|deep|sustained)\s+(?:responses?|remissions?)\b|\bresponding\s+(?:well|nicely)\b/gi),
  rule('met its endpoint', 2.2, /\b(?:met|meets|hit|achieved|reached)\s+(?:its|the|their|both)?\s*(?:co-?)?(?:primary|secondary|key)?\s*end\s?points?\b/gi),
  rule('positive results', 2.0, /\b(?:positive|encouraging|impressive|strong|robust|practice[-\s]changing)\s+(?:results?|data|outcomes?|trials?|readouts?|phase\s*(?:[1-4]|i{1,3}|iv))\b/gi),
  rule('survival benefit', 2.0, /\b(?:os|pfs|survival|mortality)\s+benefit\b|\b(?:improved|prolonged|longer)\s+(?:overall\s+|progression[-\s]free\s+)?survival\b|\breduced\s+(?:mortality|hospitali[sz]ations?|relapses?)\b/gi),
  rule('game changer', 2.5, /\bgame[-\s]?changer\b/gi),
  rule('approved', 1.4, /\b(?:fda|ema|mhra)?\s*approv(?:ed|al)\b/gi),
  // Bad news that a general lexicon misses or underrates.
  rule('discontinued due to', -2.2, /\b(?:discontinued|stopped|d\/c'?d|came\s+off|switched\s+(?:off|away\s+from)|taken\s+off|pulled\s+off)\b[^.!?\n]{0,40}?\b(?:due\s+to|because\s+of|after|for)\b/gi),
  rule('prior auth denied', -2.2, /\b(?:prior\s+auth(?:ori[sz]ation)?|p\.?a\.?|insurance|insurer|payer|payor|coverage|claim|appeal)\s+(?:was\s+|got\s+|has\s+been\s+|is\s+)?(?:denied|rejected|refused|declined)\b|\bdenied\s+(?:coverage|prior\s+auth(?:ori[sz]ation)?)\b/gi),
  rule('not covered', -1.8, /\bnot\s+(?:covered|on\s+formulary|reimbursed)\b|\boff\s+formulary\b/gi),
  rule('failed its endpoint', -2.5, /\b(?:failed|missed|did\s+not\s+meet|didn'?t\s+meet)\s+(?:to\s+meet\s+)?(?:its|the|their|both)?\s*(?:co-?)?(?:primary|secondary|key)?\s*end\s?points?\b/gi),
  rule('progression', -2.0, /\b(?:disease|tumou?r|cancer)\s+progress(?:ion|ed|ing)\b|\bprogressed\s+(?:on|while|after|despite)\b/gi),
  rule('boxed warning', -2.0, /\b(?:black[-\s]box|boxed)\s+warnings?\b/gi),
  rule('recall', -1.6, /\brecall(?:ed|s)?\b/gi),
  rule('too expensive', -2.0, /\b(?:too\s+expensive|unaffordable|overpriced|price\s+gouging|can'?t\s+afford)\b/gi),
  rule('lack of efficacy', -2.2, /\b(?:lack\s+of|no|zero|minimal|little)\s+(?:efficacy|benefit|improvement|effect)\b|\b(?:didn'?t|did\s+not|doesn'?t|does\s+not|not)\s+(?:work|help)(?:ing|ed)?\b/gi),
  rule('side effects', -1.0, /\bside[-\s]effects?\b/gi),
  // Subject matter, not opinion: masked only.
  rule('', 0, /\b(?:tested|testing|screened)\s+(?:positive|negative)\b|\b[A-Za-z0-9]{2,}[-\s]?(?:positive|negative)\b(?=\s+(?:breast|lung|cancer|tumou?r|disease|patients?|nsclc|mbc|population))|\btriple[-\s]negative\b|\b(?:her2|er|pr|pd-?l1|egfr|alk|kras|brca)[-+\s]*(?:positive|negative|\+|-)(?!\w)/gi),
  rule('', 0, /\b(?:cancers?|tumou?rs?|carcinomas?|lymphomas?|leuka?emias?|melanomas?|myelomas?|sarcomas?|metasta(?:tic|ses|sis)|malignan(?:t|cy|cies)|oncology|heart\s+failure|disease)\b/gi),
];

/** Masks every rule's matches and returns the text that the general scorer should read. */
export function applyClinicalRules(text: string): { masked: string; hits: { cue: string; valence: number }[] } {
  const hits: { cue: string; valence: number }[] = [];
  let masked = text;
  for (const r of CLINICAL_RULES) {
    masked = masked.replace(r.pattern, (m) => {
      if (r.valence !== 0) hits.push({ cue: r.cue, valence: r.valence });
      return ' '.repeat(m.length);
    });
  }
  return { masked, hits };
}
