import type { Cue, PostKind } from '../classification';
import { clip, first, sentenceAround, words, type Span } from './text';

/**
 * What kind of post it is: a question, news (trial read-out, label change, teaching thread,
 * announcement), a case report (a patient story) or an opinion. News and questions are not
 * the poster's verdict on the product, which the stance stage needs to know.
 */
const NEWS = words([
  'label (?:update|change)', 'new label', 'label now', 'fda', 'ema', 'approv(?:ed|al)', 'read-?out', 'topline', 'trial', 'phase [1-3i]+', 'orr', 'm?pfs', 'os hr', 'hr 0[.,]\\d+', 'nnt', 'subgroups?', 'final analysis', 'press release',
  'asco\\d*', 'esmo\\d*', 'esc\\d*', 'aad\\d*', 'ash\\d*', '#asco\\w*', 'conference', 'congress', 'guideline\\w*', 'teaching', 'thread', '🧵', 'pearl', 'tip', 'psa', 'reminder', 'fyi', 'slides?', 'journal club', 'for fellows', 'for residents', 'for (?:the )?internes',
  'now (?:on|available|covered|approved|in)', 'launch\\w*', 'announce\\w*', 'update:', 'back in stock', 'zulassung', 'fachinfo', 'amm', 'ficha técnica', 'résumé', 'rappel', 'hinweis', 'pharm tip', 'pharmacist psa',
]);
const CASE = words([
  'pt', 'pts', 'patient', 'patients', 'patiente?', 'patientin', 'paciente', 'my (?:pt|patient)', '\\d+\\s*(?:y/?o|yo)', '\\d+-jährig\\w*', '\\d+ (?:años|ans)', 'case', 'caso', 'cas', 'she', 'he', 'her', 'his', 'mrs?', 'wk \\d+', 'week \\d+', 'day \\d+', 'month \\d+',
]);

export interface KindFinding {
  kind: PostKind;
  cues: Cue[];
}

export function detectKind(text: string, spans: Span[], isMedicalQuestion: boolean): KindFinding {
  const lastAsks = spans.some((s) => /[?¿]/.test(s.text));
  if (isMedicalQuestion || (lastAsks && /[?¿]\s*(?:#\S+\s*)*$/.test(text.trim()))) {
    // Quoted as the whole sentence ("…or start at 0.5?", not the "5?" a split at "0." leaves).
    const asks = spans.find((s) => /[?¿]/.test(s.text));
    return { kind: 'question', cues: [{ words: asks ? sentenceAround(text, asks.start + Math.max(0, asks.text.search(/\S/)), 60) : clip(text, 60), reason: 'a question' }] };
  }
  const news = first(NEWS, text);
  const kase = first(CASE, text);
  if (news && !(kase && /\b(?:my|our)\b/i.test(text))) return { kind: 'news', cues: [{ words: news.words, reason: 'news, data or teaching' }] };
  if (kase) return { kind: 'case_report', cues: [{ words: kase.words, reason: 'a patient story' }] };
  if (news) return { kind: 'news', cues: [{ words: news.words, reason: 'news, data or teaching' }] };
  return { kind: 'opinion', cues: [] };
}
