import type { Classification, ReportElement } from './classification';

/**
 * A possible adverse event in pharmacovigilance's hands (CONTRACT.md, PV_*). Pure rules: which
 * step may follow which, what the PV message shows of the four report elements, who hears of
 * a missed deadline, and the figures of the PV report.
 *
 * A case's life: open → acknowledged → reported, or not_ae (PV judged it is no adverse event).
 * Reported and not_ae may also follow open directly: deciding implies having seen it, so the
 * acknowledgement is recorded with the decision.
 */
export const PV_CASE_STATUSES = ['open', 'acknowledged', 'reported', 'not_ae'] as const;
export type PvCaseStatus = (typeof PV_CASE_STATUSES)[number];

/** How the case came to PV: the detector flagged the post, or a rep sent one it missed. */
export type PvCaseOrigin = 'detected' | 'rep';

export type PvStep = 'acknowledge' | 'not_ae' | 'reported';

/** Whether `step` may follow `status`; null when it may, else the reason in PV's words. */
export function refusalOf(status: PvCaseStatus, step: PvStep): string | null {
  if (status === 'reported') return 'This case is already reported to the safety database.';
  if (status === 'not_ae') return 'This case was already closed as not an adverse event.';
  if (step === 'acknowledge' && status === 'acknowledged') return 'This case is already acknowledged.';
  return null;
}

export const isClosed = (status: PvCaseStatus) => status === 'reported' || status === 'not_ae';

/** The longest reason and safety-database id PV may type (they go to the audit and the messages). */
export const NOT_AE_REASON_MAX = 1000;
export const SAFETY_CASE_ID_MAX = 64;

export type ElementKey = 'patient' | 'reporter' | 'product' | 'event';

export interface ElementLine {
  key: ElementKey;
  label: string;
  found: boolean;
  /** The post's words that suggested it, and why they count; null when not found. */
  words: string | null;
  reason: string | null;
}

const ELEMENT_LABELS: [ElementKey, string][] = [
  ['patient', 'Identifiable patient'],
  ['reporter', 'Identifiable reporter'],
  ['product', 'Suspect product'],
  ['event', 'Adverse event'],
];

/** Cues stored before the classification existed: harm, product and patient words by kind. */
export interface LegacyCues {
  harm?: string[];
  product?: string[];
  patient?: string[];
}

/**
 * The four elements a valid adverse-event report needs, each found or not with the words
 * that suggested it. From the classifier's findings; a mention logged before those were
 * stored falls back to its older cue lists (and no reporter finding).
 */
export function reportElements(classification: Pick<Classification, 'adverseEvent'> | null, legacy: LegacyCues | null): ElementLine[] {
  const fromLegacy = (words: string[] | undefined, reason: string): ReportElement => (words?.[0] ? { words: words[0], reason } : null);
  const elements: Record<ElementKey, ReportElement> = classification
    ? classification.adverseEvent.elements
    : {
        patient: fromLegacy(legacy?.patient, 'a patient'),
        reporter: null,
        product: fromLegacy(legacy?.product, 'the suspect product'),
        event: fromLegacy(legacy?.harm, 'a harm'),
      };
  return ELEMENT_LABELS.map(([key, label]) => {
    const e = elements[key];
    return { key, label, found: Boolean(e), words: e?.words ?? null, reason: e?.reason ?? null };
  });
}

/** Reads `mentions.classification`; null for older rows or unreadable JSON (shown as "not stored"). */
export function parseClassification(json: string | null): Classification | null {
  if (!json) return null;
  try {
    const c = JSON.parse(json) as Classification;
    return c && typeof c === 'object' && c.adverseEvent && typeof c.adverseEvent === 'object' ? c : null;
  } catch {
    return null;
  }
}

/** Who is told that PV missed its deadline, besides the PV thread: the rep who owns the card. */
export function escalationRecipient(assignee: string | null, rosterOwner: string | null): string | null {
  return assignee ?? rosterOwner ?? null;
}

/** Whether a case still needs the deadline escalation at `now`. */
export const needsEscalation = (c: { status: PvCaseStatus; deadlineAt: string; escalatedAt: string | null }, now: Date): boolean =>
  c.status === 'open' && c.escalatedAt === null && Date.parse(c.deadlineAt) <= now.getTime();

/** What the PV message and the rep's card show of a case. */
export interface PvCaseView {
  caseId: number;
  status: PvCaseStatus;
  origin: PvCaseOrigin;
  /** Who opened it: 'hcp-pulse' for the detector, else the rep's Slack id. */
  openedBy: string;
  openedAt: string;
  deadlineAt: string;
  deadlineBusinessDays: number;
  timeZone: string;
  postedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  closedBy: string | null;
  closedAt: string | null;
  notAeReason: string | null;
  safetyCaseId: string | null;
  escalatedAt: string | null;
}

/** The mention as the PV message shows it. */
export interface PvPostView {
  mentionId: number;
  source: string;
  url: string | null;
  author: { handle: string; name: string | null };
  text: string;
  textFromReporter: boolean;
  postedAt: string;
  product: string | null;
  /** When the post reached the company (webhook arrival or the rep's forward) and by which door. */
  receivedAt: string;
  via: string;
  forwardedBy: string | null;
  elements: ElementLine[];
  /** The rep who owns the alert card, if any (assignee, else roster owner). */
  owner: string | null;
}

export interface PvMessageView {
  case: PvCaseView;
  post: PvPostView;
}

/** One line of `npm run pv:report` for a PV case. Times in seconds; null while not yet reached. */
export interface PvReportRow {
  caseId: number;
  mentionId: number;
  url: string | null;
  author: string;
  origin: PvCaseOrigin;
  status: PvCaseStatus;
  receivedAt: string;
  openedAt: string;
  postedToPvAt: string | null;
  timeToPvSeconds: number | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  timeToAcknowledgeSeconds: number | null;
  deadlineAt: string;
  /** met: acknowledged by the deadline; missed: acknowledged late or not at all by now; pending: still time. */
  deadline: 'met' | 'missed' | 'pending';
  escalatedAt: string | null;
  closedAt: string | null;
  safetyCaseId: string | null;
  notAeReason: string | null;
}

export interface PvReportInput {
  caseId: number;
  mentionId: number;
  url: string | null;
  authorHandle: string;
  origin: PvCaseOrigin;
  status: PvCaseStatus;
  receivedAt: string;
  openedAt: string;
  postedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  deadlineAt: string;
  escalatedAt: string | null;
  closedAt: string | null;
  safetyCaseId: string | null;
  notAeReason: string | null;
}

const secondsBetween = (from: string, to: string | null) => (to === null ? null : Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000)));

export function pvReportRow(c: PvReportInput, now: Date): PvReportRow {
  const deadline = Date.parse(c.deadlineAt);
  const ack = c.acknowledgedAt ? Date.parse(c.acknowledgedAt) : null;
  return {
    caseId: c.caseId,
    mentionId: c.mentionId,
    url: c.url,
    author: `@${c.authorHandle}`,
    origin: c.origin,
    status: c.status,
    receivedAt: c.receivedAt,
    openedAt: c.openedAt,
    postedToPvAt: c.postedAt,
    // From the moment the company had the post to the moment PV had it in its channel.
    timeToPvSeconds: secondsBetween(c.receivedAt, c.postedAt),
    acknowledgedAt: c.acknowledgedAt,
    acknowledgedBy: c.acknowledgedBy,
    timeToAcknowledgeSeconds: secondsBetween(c.receivedAt, c.acknowledgedAt),
    deadlineAt: c.deadlineAt,
    deadline: ack !== null ? (ack <= deadline ? 'met' : 'missed') : now.getTime() > deadline ? 'missed' : 'pending',
    escalatedAt: c.escalatedAt,
    closedAt: c.closedAt,
    safetyCaseId: c.safetyCaseId,
    notAeReason: c.notAeReason,
  };
}

/** A duration for people: "2 h 05 min", "45 s", "3 d 4 h". */
export function humanDuration(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
