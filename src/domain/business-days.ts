/**
 * Pharmacovigilance deadlines count business days: weekends and PV_HOLIDAYS do not count.
 * Computed on UTC calendar dates; a day's end is the deadline.
 */
export function addBusinessDays(from: Date, days: number, holidays: readonly string[]): string {
  const skip = new Set(holidays);
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !skip.has(d.toISOString().slice(0, 10))) left--;
  }
  return d.toISOString().slice(0, 10);
}
