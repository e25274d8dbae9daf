/**
 * Reminders wait for the recipient's working hours (WORK_HOURS) in their own time zone.
 * Pure: the clock and the zone are passed in. DST-safe: local times are read with Intl, and
 * a computed instant is corrected when the zone's offset differs at the target time.
 */
export type WorkHours = { startMinute: number; endMinute: number } | 'always';

const formatters = new Map<string, Intl.DateTimeFormat>();

function localMinuteOfDay(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const minute = Number(parts.find((p) => p.type === 'minute')!.value);
  return hour * 60 + minute;
}

export const isValidTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** The first moment at or after `now` that falls inside working hours in `timeZone`. */
export function nextWorkingTime(now: Date, timeZone: string, hours: WorkHours): Date {
  if (hours === 'always') return now;
  const tz = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const local = localMinuteOfDay(now, tz);
  if (local >= hours.startMinute && local < hours.endMinute) return now;
  const wait = (hours.startMinute - local + 1440) % 1440 || 1440;
  let candidate = new Date(Math.floor(now.getTime() / 60_000) * 60_000 + wait * 60_000);
  // Across a DST change the zone's offset moved: nudge by the difference (at most twice).
  for (let i = 0; i < 2; i++) {
    const drift = localMinuteOfDay(candidate, tz) - hours.startMinute;
    const wrapped = ((drift + 720) % 1440 + 1440) % 1440 - 720;
    if (wrapped === 0) break;
    candidate = new Date(candidate.getTime() - wrapped * 60_000);
  }
  return candidate;
}
