import { nextWorkingTime } from '../../src/domain/working-hours';

const hours = { startMinute: 8 * 60, endMinute: 18 * 60 };

test('inside working hours: now', () => {
  const now = new Date('2026-11-27T10:00:00Z'); // 11:00 in Berlin
  expect(nextWorkingTime(now, 'Europe/Berlin', hours)).toEqual(now);
});

test('before hours: today at the start, in the recipient\'s zone', () => {
  expect(nextWorkingTime(new Date('2026-11-27T05:30:00Z'), 'Europe/Berlin', hours).toISOString()).toBe('2026-11-27T07:00:00.000Z');
  expect(nextWorkingTime(new Date('2026-11-27T05:30:00Z'), 'America/New_York', hours).toISOString()).toBe('2026-11-27T13:00:00.000Z');
});

test('after hours: tomorrow at the start', () => {
  expect(nextWorkingTime(new Date('2026-11-27T18:30:00Z'), 'Europe/Berlin', hours).toISOString()).toBe('2026-11-28T07:00:00.000Z');
  expect(nextWorkingTime(new Date('2026-11-27T23:30:00Z'), 'Asia/Tokyo', hours).toISOString()).toBe('2026-11-27T23:30:00.000Z'); // 08:30 in Tokyo
});

test('across a DST change the start is 08:00 local on the new offset', () => {
  // Berlin leaves summer time on 2026-10-25 at 03:00 local: UTC+2 → UTC+1.
  expect(nextWorkingTime(new Date('2026-10-24T19:00:00Z'), 'Europe/Berlin', hours).toISOString()).toBe('2026-10-25T07:00:00.000Z');
  // New York starts summer time on 2026-03-08: UTC-5 → UTC-4.
  expect(nextWorkingTime(new Date('2026-03-08T01:00:00Z'), 'America/New_York', hours).toISOString()).toBe('2026-03-08T12:00:00.000Z');
});

test('"always" delivers at once and an unknown zone falls back to UTC', () => {
  const now = new Date('2026-11-27T03:00:00Z');
  expect(nextWorkingTime(now, 'Europe/Berlin', 'always')).toEqual(now);
  expect(nextWorkingTime(now, 'Mars/Olympus', hours).toISOString()).toBe('2026-11-27T08:00:00.000Z');
});
