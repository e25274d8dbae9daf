/**
 * Reminders wait for the recipient's working hours (WORK_HOURS, on WORK_DAYS) in their own
 * time zone: a one-day snooze on Friday comes back on Monday morning, not on Saturday.
 * Pure: the clock and the zone are passed in. DST-safe: local times are read with Intl, and
 * a computed instant is corrected when the zone's offset differs at the target time.
 */
export type WorkHours =
  | {
      startMinute: number;
      endMinute: number;
      /** Working weekdays, 0 = Sunday … 6 = Saturday; absent: Monday to Friday. */
      days?: readonly number[];
    }
  | 'always';

export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const MONDAY_TO_FRIDAY: readonly number[] = [1, 2, 3, 4, 5];
export const EVERY_DAY: readonly number[] = [0, 1, 2, 3, 4, 5, 6];

/**
 * Parses WORK_DAYS: day names (Mon, Tue, …) separated by commas, or ranges such as Mon-Fri or
 * Sun-Thu. Null when it cannot be read.
 */
export function parseWorkDays(s: string): number[] | null {
  const index = (d: string) => WEEKDAYS.findIndex((w) => w.toLowerCase() === d.trim().slice(0, 3).toLowerCase() && d.trim().length >= 3);
  const days = new Set<number>();
  for (const part of s.split(',')) {
    if (!part.trim()) continue;
    const [from, to, ...rest] = part.split('-');
    if (rest.length) return null;
    const a = index(from!);
    const b = to === undefined ? a : index(to);
    if (a < 0 || b < 0) return null;
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  return days.size ? [...days].sort() : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): { minute: number; weekday: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')!.value);
  const minute = Number(parts.find((p) => p.type === 'minute')!.value);
  const weekday = WEEKDAYS.indexOf(parts.find((p) => p.type === 'weekday')!.value as (typeof WEEKDAYS)[number]);
  return { minute: hour * 60 + minute, weekday };
}

export const isValidTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** The first moment at or after `now` that falls inside working hours on a working day in `timeZone`. */
export function nextWorkingTime(now: Date, timeZone: string, hours: WorkHours): Date {
  if (hours === 'always') return now;
  const tz = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const days = hours.days?.length ? hours.days : MONDAY_TO_FRIDAY;
  let at = now;
  // At most a week of days to skip, plus one for the day we start on.
  for (let i = 0; i < 9; i++) {
    const local = localTime(at, tz);
    const workday = days.includes(local.weekday);
    if (workday && local.minute >= hours.startMinute && local.minute < hours.endMinute) return at;
    // Today's start if it is still ahead on a working day, else tomorrow's start.
    const wait = workday && local.minute < hours.startMinute ? hours.startMinute - local.minute : 1440 - local.minute + hours.startMinute;
    at = atLocalMinute(new Date(Math.floor(at.getTime() / 60_000) * 60_000 + wait * 60_000), tz, hours.startMinute);
  }
  return at;
}

/** Across a DST change the zone's offset moved: nudge the instant to the wanted local minute. */
function atLocalMinute(candidate: Date, tz: string, minuteOfDay: number): Date {
  let at = candidate;
  for (let i = 0; i < 2; i++) {
    const drift = localTime(at, tz).minute - minuteOfDay;
    const wrapped = ((((drift + 720) % 1440) + 1440) % 1440) - 720;
    if (wrapped === 0) break;
    at = new Date(at.getTime() - wrapped * 60_000);
  }
  return at;
}
