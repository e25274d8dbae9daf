import { parsePeriod, validDay } from '../../scripts/lib/report-cli';

const USAGE = 'Usage: test';
const quiet = () => jest.spyOn(console, 'error').mockImplementation(() => undefined);

test('a calendar day must exist', () => {
  expect(validDay('2026-02-28')).toBe(true);
  expect(validDay('2026-02-30')).toBe(false);
  expect(validDay('2026-2-3')).toBe(false);
});

test('--until is the whole day, in UTC; the format defaults to csv', () => {
  const p = parsePeriod({ usage: USAGE, sinceRequired: true, until: true, format: true, argv: ['--since', '2026-01-01', '--until', '2026-01-31'] });
  expect(p).toEqual({
    since: '2026-01-01',
    until: '2026-01-31',
    sinceAt: new Date('2026-01-01T00:00:00Z'),
    untilAt: new Date('2026-02-01T00:00:00Z'),
    format: 'csv',
    out: null,
  });
});

test.each([
  [[], '--since must be a date YYYY-MM-DD.'],
  [['--since', '2026-13-01'], '--since must be a date YYYY-MM-DD.'],
  [['--since', '2026-01-01', '--until', 'soon'], '--until must be a date YYYY-MM-DD.'],
  [['--since', '2026-01-01', '--format', 'xml'], '--format must be csv or json.'],
  [['--since', '2026-01-01', '--out', 'x'], "Unknown option '--out'"],
])('%j is a usage error that names the flag and prints the usage', (argv, message) => {
  const err = quiet();
  expect(parsePeriod({ usage: USAGE, sinceRequired: true, until: true, format: true, argv })).toBeNull();
  expect(String(err.mock.calls[0]?.[0])).toContain(message);
  expect(String(err.mock.calls[0]?.[0])).toContain(USAGE);
  err.mockRestore();
});

test('an optional --since may be left out; an empty --out is refused', () => {
  expect(parsePeriod({ usage: USAGE, sinceRequired: false, out: true, argv: [] })?.sinceAt).toBeNull();
  const err = quiet();
  expect(parsePeriod({ usage: USAGE, sinceRequired: false, out: true, argv: ['--out='] })).toBeNull();
  expect(String(err.mock.calls[0]?.[0])).toContain('--out must name a file.');
  err.mockRestore();
});
