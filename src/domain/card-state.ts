import type { AlertView } from './alert-view';

/**
 * Where an alert stands in a rep's work, and what the card offers for it. Pure: the card
 * builder renders this plan, the tests check it per state.
 *
 *   new ─► assigned ─► drafted ─► done ─► reopened ─► …
 *     └──────── snoozed (a follow-up moved to later) ──┘
 */
export type CardStage = 'new' | 'assigned' | 'drafted' | 'snoozed' | 'done' | 'reopened';

export function cardStage(v: Pick<AlertView, 'status' | 'followUp'>): CardStage {
  const s = v.status;
  if (s.state === 'done') return 'done';
  if (v.followUp?.status === 'snoozed') return 'snoozed';
  if (s.reopenedAt && (!s.emailDraftedAt || s.reopenedAt > s.emailDraftedAt)) return 'reopened';
  if (s.emailDraftedBy) return 'drafted';
  if (s.firstActionAt && s.assignee) return 'assigned';
  return 'new';
}

/** Whether anyone has worked the alert: until then the card shows the whole playbook. */
export const nobodyActed = (v: Pick<AlertView, 'status' | 'followUp'>): boolean => cardStage(v) === 'new';

/**
 * A control on the card. `id` is what the handler dispatches on; `text` is what the rep reads
 * (the contract finds controls by it, in a button or an overflow option alike).
 */
export interface CardControl {
  id: string;
  text: string;
  /** This is what the rep should do next (it becomes the primary button). */
  nextStep?: boolean;
  /** Card controls this one stands in for, removed from the card (Refer to Medical Information replaces Draft email). */
  replaces?: string[];
}

export const CONTROL = {
  draft: { id: 'draft', text: 'Draft email' },
  done: { id: 'done', text: 'Mark done' },
  assign: { id: 'assign', text: 'Assign to me' },
  reassign: { id: 'reassign', text: 'Reassign…' },
  roster: { id: 'roster', text: 'Add to roster' },
  note: { id: 'note', text: 'Add note' },
  reopen: { id: 'reopen', text: 'Reopen' },
} as const satisfies Record<string, CardControl>;

/** Slack shows at most five options in an overflow menu. */
export const OVERFLOW_MAX = 5;

export interface ControlPlan {
  /** The next useful step, styled primary. */
  primary: CardControl | null;
  /** Other buttons shown as they are (a done card: Reopen, Add note). */
  buttons: CardControl[];
  snooze: boolean;
  changeSentiment: boolean;
  /** The rare controls, in the ⋯ menu (at most five, most useful first). */
  overflow: CardControl[];
}

/**
 * At most four visible controls: the next step, Snooze, Change sentiment and the ⋯ menu. The
 * next step is what moves the alert on: a feature's own next step (Refer to Medical
 * Information, Report to PV) first, else Draft email until the email is drafted, then Mark
 * done. Everything else waits in the menu.
 *
 * @param extra controls other features add (PV, Medical); those marked `nextStep` may lead.
 */
export function planControls(v: Pick<AlertView, 'status' | 'followUp' | 'hcp'>, extra: CardControl[] = []): ControlPlan {
  const stage = cardStage(v);
  if (stage === 'done') return { primary: CONTROL.reopen, buttons: [CONTROL.note], snooze: false, changeSentiment: false, overflow: [] };
  const featured = extra.find((c) => c.nextStep) ?? null;
  const replaced = new Set(extra.flatMap((c) => c.replaces ?? []));
  // A control another one replaces is not offered at all (a medical question gets no Draft email).
  const drafted = stage === 'drafted' || (stage === 'snoozed' && Boolean(v.status.emailDraftedBy)) || replaced.has(CONTROL.draft.id);
  const own: CardControl = drafted ? CONTROL.done : CONTROL.draft;
  const primary = featured ?? own;
  const rest: CardControl[] = [];
  if (primary !== own) rest.push(own);
  const other = drafted ? CONTROL.draft : CONTROL.done;
  if (!replaced.has(other.id)) rest.push(other);
  // Assign to me while nobody has taken the alert on (even if the roster gave it to its
  // owner); once someone works it, Reassign… (which offers "me" first) replaces it.
  if (stage === 'new') rest.push(CONTROL.assign);
  if (v.status.assignee) rest.push(CONTROL.reassign);
  rest.push(...extra.filter((c) => c !== featured));
  if (!v.hcp) rest.push(CONTROL.roster);
  rest.push(CONTROL.note);
  return { primary, buttons: [], snooze: true, changeSentiment: true, overflow: rest.slice(0, OVERFLOW_MAX) };
}
