/** The choices a rep has on an alert card, shared by the card builders and the services. */
export const DONE_REASONS = {
  contacted: 'contacted',
  not_hcp: 'not an HCP',
  not_relevant: 'not relevant',
  medical: 'handled by Medical',
} as const;
export type DoneReason = keyof typeof DONE_REASONS;

export const SNOOZE_CHOICES = [
  { value: '1d', label: '1 day', days: 1 },
  { value: '1w', label: '1 week', days: 7 },
  { value: '1m', label: '1 month', days: 30 },
  { value: '3m', label: '3 months', days: 90 },
] as const;
export type SnoozeChoice = (typeof SNOOZE_CHOICES)[number]['value'];

export const snoozeDays = (choice: string): number | undefined => SNOOZE_CHOICES.find((c) => c.value === choice)?.days;

/** How far ahead a picked snooze time may be (the longest preset is 3 months). */
export const SNOOZE_MAX_DAYS = 366;

/**
 * Reads a snooze time picked in the form (unix seconds from Slack's datetimepicker): the time,
 * or what is wrong with it in words for the form. `now` is the bot's clock.
 */
export function pickedSnoozeTime(seconds: unknown, now: Date): { until: Date } | { error: string } {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return { error: 'Pick a date and a time.' };
  const until = seconds * 1000;
  if (until <= now.getTime()) return { error: 'Pick a time in the future.' };
  if (until > now.getTime() + SNOOZE_MAX_DAYS * 86_400_000) return { error: 'Pick a time within the next year.' };
  return { until: new Date(until) };
}
