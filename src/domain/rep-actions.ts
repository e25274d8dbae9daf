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
