import { EVERY_DAY, nextWorkingTime, parseWorkDays } from '../../src/domain/working-hours';

/** Monday to Friday, 08:00-18:00 (the defaults). */
const hours = { startMinute: 8 * 60, endMinute: 18 * 60 };
const everyDay = { ...hours, days: EVERY_DAY };
const next = (iso: string, tz: string, h: Parameters<typeof nextWorkingTime>[2] = hours) => nextWorkingTime(new Date(iso), tz, h).toISOString();

test('inside working hours: now', () => {
  const now = new Date('2026-11-27T10:00:00Z'); // Friday, 11:00 in Berlin
  expect(nextWorkingTime(now, 'Europe/Berlin', hours)).toEqual(now);
});

test('before hours: today at the start, in the recipient\'s zone', () => {
  expect(next('2026-11-27T05:30:00Z', 'Europe/Berlin')).toBe('2026-11-27T07:00:00.000Z');
  expect(next('2026-11-27T05:30:00Z', 'America/New_York')).toBe('2026-11-27T13:00:00.000Z');
});

test('after hours on a weekday: the next morning', () => {
  expect(next('2026-11-25T18:30:00Z', 'Europe/Berlin')).toBe('2026-11-26T07:00:00.000Z'); // Wednesday → Thursday
  expect(next('2026-11-26T23:30:00Z', 'Asia/Tokyo')).toBe('2026-11-26T23:30:00.000Z'); // Friday 08:30 in Tokyo
});

test('the weekend is skipped: Friday evening and all of Saturday and Sunday wait for Monday morning', () => {
  expect(next('2026-11-27T18:30:00Z', 'Europe/Berlin')).toBe('2026-11-30T07:00:00.000Z'); // Fri 19:30 → Mon 08:00
  expect(next('2026-11-28T10:00:00Z', 'Europe/Berlin')).toBe('2026-11-30T07:00:00.000Z'); // Sat 11:00
  expect(next('2026-11-29T22:59:00Z', 'Europe/Berlin')).toBe('2026-11-30T07:00:00.000Z'); // Sun 23:59
  // Saturday in Tokyo is still Friday in New York: each recipient's own calendar counts.
  expect(next('2026-11-28T00:30:00Z', 'Asia/Tokyo')).toBe('2026-11-29T23:00:00.000Z'); // Sat 09:30 Tokyo → Mon 08:00
  expect(next('2026-11-28T00:30:00Z', 'America/New_York')).toBe('2026-11-30T13:00:00.000Z'); // Fri 19:30 NY → Mon 08:00
});

test('weekend-aware across DST: the Monday start is 08:00 on the new offset', () => {
  // Berlin leaves summer time on Sunday 2026-10-25 (UTC+2 → UTC+1): Friday evening → Monday 08:00 CET.
  expect(next('2026-10-23T17:00:00Z', 'Europe/Berlin')).toBe('2026-10-26T07:00:00.000Z');
  // New York enters summer time on Sunday 2026-03-08 (UTC-5 → UTC-4): Saturday → Monday 08:00 EDT.
  expect(next('2026-03-07T15:00:00Z', 'America/New_York')).toBe('2026-03-09T12:00:00.000Z');
  // New York leaves summer time on Sunday 2026-11-01: Friday 20:00 EDT → Monday 08:00 EST.
  expect(next('2026-10-31T00:00:00Z', 'America/New_York')).toBe('2026-11-02T13:00:00.000Z');
});

test('across a DST night with every day a working day, the start is 08:00 local on the new offset', () => {
  expect(next('2026-10-24T19:00:00Z', 'Europe/Berlin', everyDay)).toBe('2026-10-25T07:00:00.000Z');
  expect(next('2026-03-08T01:00:00Z', 'America/New_York', everyDay)).toBe('2026-03-08T12:00:00.000Z');
});

test('configured working days: a Sunday-to-Thursday week', () => {
  const sunThu = { ...hours, days: parseWorkDays('Sun-Thu')! };
  expect(sunThu.days).toEqual([0, 1, 2, 3, 4]);
  expect(next('2026-11-26T16:00:00Z', 'Asia/Jerusalem', sunThu)).toBe('2026-11-29T06:00:00.000Z'); // Thu 18:00 → Sun 08:00
  expect(next('2026-11-29T07:00:00Z', 'Asia/Jerusalem', sunThu)).toBe('2026-11-29T07:00:00.000Z'); // Sun 09:00: now
});

test('WORK_DAYS is read from names and ranges, and nonsense is refused', () => {
  expect(parseWorkDays('Mon-Fri')).toEqual([1, 2, 3, 4, 5]);
  expect(parseWorkDays('mon,wed,FRI')).toEqual([1, 3, 5]);
  expect(parseWorkDays('Fri-Mon')).toEqual([0, 1, 5, 6]);
  expect(parseWorkDays('Monday-Thursday')).toEqual([1, 2, 3, 4]);
  for (const bad of ['', 'Funday', 'Mon-Tue-Wed', 'M']) expect(parseWorkDays(bad)).toBeNull();
});

test('"always" delivers at once and an unknown zone falls back to UTC', () => {
  const now = new Date('2026-11-27T03:00:00Z');
  expect(nextWorkingTime(now, 'Europe/Berlin', 'always')).toEqual(now);
  expect(nextWorkingTime(now, 'Mars/Olympus', hours).toISOString()).toBe('2026-11-27T08:00:00.000Z');
});
