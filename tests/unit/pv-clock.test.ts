import { businessDeadline, instantOf, isBusinessDay, localTime } from '../../src/domain/business-days';
import { ConfigError, loadConfig } from '../../src/config';

/** The PV business-day clock: weekends, holidays, fractions and DST in BUSINESS_TIME_ZONE. */
const NY = { timeZone: 'America/New_York', holidays: [] as string[] };
const at = (iso: string, days: number, clock = NY) => businessDeadline(new Date(iso), days, clock).toISOString();

test('one business day is the same local time the next business day', () => {
  expect(at('2026-12-02T17:00:00Z', 1)).toBe('2026-12-03T17:00:00.000Z'); // Wednesday noon → Thursday noon
  expect(at('2026-11-24T15:30:00Z', 2)).toBe('2026-11-26T15:30:00.000Z'); // Tuesday → Thursday
});

test('weekends do not count', () => {
  expect(at('2026-12-04T20:00:00Z', 1)).toBe('2026-12-07T20:00:00.000Z'); // Friday 15:00 → Monday 15:00
  // Received on a Saturday: the clock starts Monday 00:00, so one day ends Tuesday 00:00 (end of Monday).
  expect(at('2026-12-05T15:00:00Z', 1)).toBe('2026-12-08T05:00:00.000Z');
  expect(at('2026-12-06T23:59:00Z', 0.5)).toBe('2026-12-07T17:00:00.000Z'); // Sunday evening → Monday noon
});

test('holidays do not count', () => {
  const clock = { timeZone: 'America/New_York', holidays: ['2026-12-25'] };
  expect(at('2026-12-24T15:00:00Z', 1, clock)).toBe('2026-12-28T15:00:00.000Z'); // Thursday → (Friday off, weekend) → Monday
  expect(at('2026-12-25T15:00:00Z', 1, clock)).toBe('2026-12-29T05:00:00.000Z'); // on the holiday: from Monday 00:00
  expect(isBusinessDay('2026-12-25', clock)).toBe(false);
  expect(isBusinessDay('2026-12-26', clock)).toBe(false);
  expect(isBusinessDay('2026-12-28', clock)).toBe(true);
});

test('fractions of a day: hours, seconds, and carrying over a weekend', () => {
  expect(at('2026-12-02T17:00:00Z', 0.5)).toBe('2026-12-03T05:00:00.000Z'); // 12 hours
  expect(at('2026-12-04T23:00:00Z', 0.5)).toBe('2026-12-07T11:00:00.000Z'); // Friday 18:00 + 12 h → Monday 06:00
  expect(at('2026-12-02T17:00:00Z', 0.00003)).toBe('2026-12-02T17:00:02.592Z'); // a test's few seconds
  expect(at('2026-12-04T17:00:00Z', 1.5)).toBe('2026-12-08T05:00:00.000Z'); // Friday noon → Monday noon → Tuesday 00:00
});

test('DST in New York: wall-clock time is kept across the change', () => {
  // Spring forward (Sunday 8 March 2026): Friday 15:00 EST → Monday 15:00 EDT is 71 hours.
  expect(at('2026-03-06T20:00:00Z', 1)).toBe('2026-03-09T19:00:00.000Z');
  // Fall back (Sunday 1 November 2026): Friday 01:30 EDT → Monday 01:30 EST is 73 hours.
  expect(at('2026-10-30T05:30:00Z', 1)).toBe('2026-11-02T06:30:00.000Z');
  // The local date decides the weekday, not UTC's: Friday 21:00 EST is Saturday in UTC.
  expect(at('2026-12-05T02:00:00Z', 1)).toBe('2026-12-08T02:00:00.000Z');
});

test('other zones count their own days', () => {
  const berlin = { timeZone: 'Europe/Berlin', holidays: ['2026-12-24'] };
  // Wednesday 23:30 in New York is already Thursday in Berlin.
  expect(at('2026-12-03T04:30:00Z', 1, berlin)).toBe('2026-12-04T04:30:00.000Z');
  expect(at('2026-12-23T12:00:00Z', 1, berlin)).toBe('2026-12-25T12:00:00.000Z');
  // Berlin's spring change is 29 March 2026: Friday 10:00 CET → Monday 10:00 CEST.
  expect(at('2026-03-27T09:00:00Z', 1, berlin)).toBe('2026-03-30T08:00:00.000Z');
});

test('local time round-trips, and a time in the spring gap lands after it', () => {
  expect(localTime(new Date('2026-03-09T19:00:00Z'), 'America/New_York')).toEqual({ date: '2026-03-09', msOfDay: 15 * 3_600_000 });
  expect(instantOf('2026-03-08', 2.5 * 3_600_000, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  expect(instantOf('2026-11-01', 1.5 * 3_600_000, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // the first 01:30
});

test('a deadline must be a positive number of days', () => {
  expect(() => businessDeadline(new Date(), 0, NY)).toThrow(RangeError);
  expect(() => businessDeadline(new Date(), Number.NaN, NY)).toThrow(RangeError);
});

const good = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ALERT_CHANNEL_ID: 'C0ALERTS' };

test('config: fractional PV days, the business time zone and holidays', () => {
  const c = loadConfig({ ...good, PV_DEADLINE_BUSINESS_DAYS: '0.5', BUSINESS_TIME_ZONE: 'Europe/Berlin', PV_HOLIDAYS: '2026-12-24, 2026-12-25' });
  expect(c.pv).toEqual({ deadlineBusinessDays: 0.5, timeZone: 'Europe/Berlin', holidays: ['2026-12-24', '2026-12-25'] });
});

test('config: a bad zone, a non-positive deadline or an impossible holiday stop start-up, each named', () => {
  let error: unknown;
  try {
    loadConfig({ ...good, PV_DEADLINE_BUSINESS_DAYS: '0', BUSINESS_TIME_ZONE: 'Mars/Olympus', PV_HOLIDAYS: '2026-02-30' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as Error).message;
  expect(message).toContain('PV_DEADLINE_BUSINESS_DAYS: "0" is not valid: expected a positive number of business days (fractions allowed)');
  expect(message).toContain('BUSINESS_TIME_ZONE: "Mars/Olympus" is not valid: expected an IANA time zone such as America/New_York or Europe/Berlin');
  expect(message).toContain('PV_HOLIDAYS: "2026-02-30" is not valid: expected comma-separated dates YYYY-MM-DD');
});

test("local time read from a minute's cached offset is Intl's reading, across offset changes in zones with odd offsets", () => {
  // The reference: Intl read at each instant, no cache.
  const intl = (instant: Date, timeZone: string) => {
    const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, msOfDay: ((Number(p.hour) * 60 + Number(p.minute)) * 60 + Number(p.second)) * 1000 + instant.getUTCMilliseconds() };
  };
  // Each zone around its 2026 changes (Lord Howe moves by 30 minutes, Chatham is +12:45, St John's -3:30),
  // read in the same minutes more than once so that the second reading comes from the cache.
  const cases: [string, string[]][] = [
    ['America/New_York', ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z']],
    ['Europe/Berlin', ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z']],
    ['Australia/Lord_Howe', ['2026-04-04T15:00:00Z', '2026-10-03T15:30:00Z']],
    ['Pacific/Chatham', ['2026-04-04T14:00:00Z', '2026-09-26T14:00:00Z']],
    ['America/St_Johns', ['2026-03-08T05:30:00Z', '2026-11-01T04:30:00Z']],
    ['Asia/Kathmandu', ['2026-06-01T00:00:00Z']],
  ];
  let compared = 0;
  for (const [zone, changes] of cases) {
    for (const change of changes) {
      const t0 = Date.parse(change);
      for (const delta of [-3_600_000, -60_001, -60_000, -1, 0, 1, 29_999, 59_999, 60_000, 61_234, 1_800_000, 3_600_000 + 7]) {
        for (let pass = 0; pass < 2; pass++) {
          const instant = new Date(t0 + delta);
          expect({ zone, at: instant.toISOString(), ...localTime(instant, zone) }).toEqual({ zone, at: instant.toISOString(), ...intl(instant, zone) });
          compared++;
        }
      }
    }
  }
  expect(compared).toBe(11 * 12 * 2);
});
