import type { PostTopic } from './classification';
import type { Sentiment } from './mention';

/**
 * What a post is about, as far as the rep's advice goes: a small, explainable word rule used
 * by the interim classifier until the staged classifier decides the topic itself. Pure.
 * Order matters: a safety worry outranks an access complaint, which outranks a doubt.
 */
const SAFETY = /\b(?:side[- ]effects?|adverse|safety|toxicit\w*|rash\w*|bleed\w*|liver|hepatic|black[- ]box|warning|worried|worrying|concern(?:ed|ing|s)? about|dangerous)\b/i;
const ACCESS = /\b(?:prior[- ]?auth\w*|insurance|insurer\w*|coverage|covered|formular\w*|co-?pays?|reimburs\w*|payers?|step therapy|denied|denial)\b/i;
const ACCESS_WIN = /\b(?:approved|covered|got coverage|finally covered|on formulary|added to (?:the )?formulary)\b/i;
const EFFICACY_DOUBT =
  /\b(?:(?:does ?n[o']t|did ?n[o']t|doesnt|didnt|does not|did not) (?:work|help)|no (?:real )?(?:benefit|effect|difference)|not (?:effective|convinced|impressed)|ineffective|underwhelm\w*|overhyped|over-hyped|no better than|skeptic\w*|sceptic\w*|weak data|data (?:is|are) (?:weak|thin))\b/i;

export function postTopicOf(text: string, stance: Sentiment): PostTopic {
  if (SAFETY.test(text) && stance !== 'positive') return 'safety_worry';
  if (ACCESS.test(text)) {
    if (stance === 'positive' && ACCESS_WIN.test(text)) return 'access_win';
    if (stance !== 'positive') return 'access_complaint';
  }
  if (EFFICACY_DOUBT.test(text) && stance !== 'positive') return 'efficacy_doubt';
  if (stance === 'positive') return 'praise';
  return 'other';
}
