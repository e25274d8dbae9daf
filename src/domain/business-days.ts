/**
 * The pharmacovigilance clock (CONTRACT.md, PV_DEADLINE_BUSINESS_DAYS): business days counted
 * in the company's time zone (BUSINESS_TIME_ZONE), weekends and PV_HOLIDAYS skipped. Pure: the
 * start instant is passed in, and the zone's rules come from Intl (no clock read, no file).
 *
 * How a deadline is counted, in local wall-clock time:
 * - a case that arrives on a weekend or holiday starts counting at 00:00 of the next business day;
 * - each whole business day moves to the same local time on the next business day;
 * - a fraction of a day adds that share of 24 hours of wall-clock time, carrying past midnight
 *   into the next business day (so 0.5 from Friday 18:00 is Monday 06:00).
 * Working on wall-clock time is what makes it DST-correct: one business day from Friday 15:00
 * before the spring change is Monday 15:00 local, 71 hours later, not 72.
 */
export interface BusinessClock {
  /** IANA zone, e.g. America/New_York. */
  timeZone: string;
  /** YYYY-MM-DD dates (in the zone) that are not business days. */
  holidays: readonly string[];
}

const DAY_MS = 86_400_000;

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

const isoOf = ({ y, m, d }: LocalDate) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The calendar day after, by the proleptic Gregorian calendar (no zone involved). */
function nextDate({ y, m, d }: LocalDate): LocalDate {
  const t = new Date(Date.UTC(y, m - 1, d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const weekday = ({ y, m, d }: LocalDate) => new Date(Date.UTC(y, m - 1, d)).getUTCDay();

export function isBusinessDay(date: string, clock: Pick<BusinessClock, 'holidays'>): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = weekday({ y, m, d });
  return wd !== 0 && wd !== 6 && !clock.holidays.includes(date);
}

function nextBusinessDate(date: LocalDate, clock: BusinessClock): LocalDate {
  let next = nextDate(date);
  // Bounded: a year of holidays back to back would still end.
  for (let i = 0; i < 400 && !isBusinessDay(isoOf(next), clock); i++) next = nextDate(next);
  return next;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading in `timeZone` at `instant`, read through Intl (a formatToParts call). */
function readLocalTime(instant: Date, timeZone: string): { date: string; msOfDay: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const ms = ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000 + instant.getUTCMilliseconds();
  return { date, msOfDay: ms };
}

/** The zone's offset (ms) at `instant`, read through Intl. */
function readOffset(instant: number, timeZone: string): number {
  const { date, msOfDay } = readLocalTime(new Date(instant), timeZone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) + msOfDay - instant;
}

const MINUTE_MS = 60_000;
/** Years whose date Intl writes with four digits, as isoOf does: the arithmetic path's range. */
const FOUR_DIGIT_YEARS = { from: Date.UTC(1000, 0, 1), to: Date.UTC(9999, 11, 31) };
/**
 * Zone offsets by zone and UTC minute, for minutes known to hold no change of offset. One
 * deadline reads the zone five times (Intl's formatToParts, some 40 µs each on a busy machine:
 * a fifth of a possible adverse event's commit in the bench profile); the posts of a burst fall
 * in the same few minutes. Bounded: cleared when full.
 */
const minuteOffsets = new Map<string, number>();
const MINUTE_OFFSETS_MAX = 2048;

/** The zone's offset (ms) through the whole UTC minute holding `instant`, or null if it changes within it. */
function minuteOffset(instant: number, timeZone: string): number | null {
  const minute = Math.floor(instant / MINUTE_MS);
  const key = `${timeZone}\u0000${minute}`;
  const known = minuteOffsets.get(key);
  if (known !== undefined) return Number.isNaN(known) ? null : known;
  // Offsets are piecewise constant and change at most once in a minute: equal at its first and
  // last millisecond, the offset holds for all of it.
  const start = readOffset(minute * MINUTE_MS, timeZone);
  const end = readOffset(minute * MINUTE_MS + MINUTE_MS - 1, timeZone);
  if (minuteOffsets.size >= MINUTE_OFFSETS_MAX) minuteOffsets.clear();
  minuteOffsets.set(key, start === end ? start : Number.NaN);
  return start === end ? start : null;
}

/** The wall-clock reading in `timeZone` at `instant`: its date and milliseconds since local midnight. */
export function localTime(instant: Date, timeZone: string): { date: string; msOfDay: number } {
  const t = instant.getTime();
  if (!(t >= FOUR_DIGIT_YEARS.from && t <= FOUR_DIGIT_YEARS.to)) return readLocalTime(instant, timeZone);
  const offset = minuteOffset(t, timeZone);
  if (offset === null) return readLocalTime(instant, timeZone);
  // The wall clock is the instant moved by the offset, read as UTC.
  const wall = t + offset;
  const day = Math.floor(wall / DAY_MS);
  const w = new Date(day * DAY_MS);
  return { date: isoOf({ y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() }), msOfDay: wall - day * DAY_MS };
}

/** The zone's offset from UTC at `instant`, in milliseconds (New York in winter: -5 h). */
function offsetAt(instant: number, timeZone: string): number {
  return minuteOffset(instant, timeZone) ?? readOffset(instant, timeZone);
}

/**
 * The instant a local wall-clock time names. In the spring-forward gap (a time that does not
 * exist) it gives the instant just after the gap; in the autumn overlap, the first of the two.
 */
export function instantOf(date: string, msOfDay: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + msOfDay;
  // The offset before and after the candidate instants; try the earlier reading first.
  const candidates = [wall - offsetAt(wall - DAY_MS / 2, timeZone), wall - offsetAt(wall + DAY_MS / 2, timeZone)].sort((a, b) => a - b);
  for (const t of candidates) {
    const back = localTime(new Date(t), timeZone);
    if (back.date === date && back.msOfDay === msOfDay) return new Date(t);
  }
  // In a gap: the later offset applied to the wall time lands just after the change.
  return new Date(Math.max(...candidates));
}

/** When a case received at `from` must be acknowledged: `days` business days later (fractions allowed). */
export function businessDeadline(from: Date, days: number, clock: BusinessClock): Date {
  if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`business days must be a positive number, got ${days}`);
  const start = localTime(from, clock.timeZone);
  let [y, m, d] = start.date.split('-').map(Number) as [number, number, number];
  let date: LocalDate = { y, m, d };
  let ms = start.msOfDay;
  if (!isBusinessDay(start.date, clock)) {
    // The clock does not run on a day off: it starts with the next business day.
    date = nextBusinessDate(date, clock);
    ms = 0;
  }
  const whole = Math.floor(days);
  for (let i = 0; i < whole; i++) date = nextBusinessDate(date, clock);
  ms += Math.round((days - whole) * DAY_MS);
  while (ms >= DAY_MS) {
    ms -= DAY_MS;
    date = nextBusinessDate(date, clock);
  }
  [y, m, d] = [date.y, date.m, date.d];
  return instantOf(isoOf({ y, m, d }), ms, clock.timeZone);
}

/** Whether `timeZone` is an IANA zone this runtime knows (for config validation). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
