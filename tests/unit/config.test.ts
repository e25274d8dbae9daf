import { ConfigError, loadConfig } from '../../src/config';

const good = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ALERT_CHANNEL_ID: 'C0ALERTS' };

test('defaults follow the contract', () => {
  const c = loadConfig(good);
  expect(c.slack.apiUrl).toBe('https://slack.com/api/');
  expect(c.databaseUrl).toBe('file:./data/hcp-pulse.db');
  expect(c.databasePoolMax).toBe(10);
  expect(c.port).toBe(3000);
  expect(c.reminderCron).toBe('* * * * *');
  expect(c.followUpDays).toEqual({ negative: 7, neutral: 90, positive: 14 });
  expect(c.responseSlaHours).toBe(24);
  expect(c.workHours).toEqual({ startMinute: 480, endMinute: 1080, days: [1, 2, 3, 4, 5] });
  expect(c.managerUserIds).toEqual([]);
  expect(c.pv).toEqual({ deadlineBusinessDays: 1, holidays: [], timeZone: 'America/New_York' });
  expect(c.webhookSecret).toBeUndefined();
  expect(c.burstHoldSeconds).toBe(10);
});

test('BURST_HOLD_SECONDS takes positive seconds, fractions too, and says what is wrong otherwise', () => {
  expect(loadConfig({ ...good, BURST_HOLD_SECONDS: '2.5' }).burstHoldSeconds).toBe(2.5);
  for (const bad of ['0', '-3', 'ten']) {
    expect(() => loadConfig({ ...good, BURST_HOLD_SECONDS: bad })).toThrow(`BURST_HOLD_SECONDS: "${bad}" is not valid: expected a`);
  }
  expect(() => loadConfig({ ...good, BURST_HOLD_SECONDS: '0' })).toThrow('expected a positive number of seconds (fractions allowed)');
});

test('fractions of days and hours are accepted', () => {
  const c = loadConfig({ ...good, RESPONSE_SLA_HOURS: '0.5', FOLLOW_UP_NEUTRAL_DAYS: '0.001', WORK_HOURS: 'always', REMINDER_CRON: '*/5 * * * * *' });
  expect(c.responseSlaHours).toBe(0.5);
  expect(c.followUpDays.neutral).toBe(0.001);
  expect(c.workHours).toBe('always');
});

test('one error names every bad variable', () => {
  let error: unknown;
  try {
    loadConfig({
      SLACK_BOT_TOKEN: 'xapp-wrong',
      PORT: 'eighty',
      REMINDER_CRON: 'every minute',
      WORK_HOURS: '18:00-08:00',
      PV_HOLIDAYS: '2026-12-25,Christmas',
      DATABASE_URL: 'mysql://x',
      RESPONSE_SLA_HOURS: '-1',
    });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const vars = (error as ConfigError).problems.map((p) => p.variable).sort();
  expect(vars).toEqual(
    ['ALERT_CHANNEL_ID', 'DATABASE_URL', 'PORT', 'PV_HOLIDAYS', 'REMINDER_CRON', 'RESPONSE_SLA_HOURS', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'WORK_HOURS'].sort(),
  );
  expect((error as Error).message).toMatch(/SLACK_BOT_TOKEN: the value given is not valid: expected a bot token starting with xoxb-/);
  expect((error as Error).message).toMatch(/SLACK_SIGNING_SECRET: required in HTTP mode/);
});

test('Socket Mode needs no signing secret', () => {
  const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', ALERT_CHANNEL_ID: 'C0ALERTS' });
  expect(c.slack.appToken).toBe('xapp-1');
});

test('an empty variable counts as unset', () => {
  expect(loadConfig({ ...good, PV_CHANNEL_ID: '', WEBHOOK_SECRET: '' }).channels.pv).toBeUndefined();
});

test('a malformed value is reported with what was given and what is expected, never as "required"', () => {
  const message = (env: Record<string, string>) => {
    try {
      loadConfig({ ...good, ...env });
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };
  expect(message({ PORT: 'abc' })).toContain('PORT: "abc" is not valid: expected a TCP port number 0-65535');
  expect(message({ PV_DEADLINE_BUSINESS_DAYS: 'soon' })).toContain('PV_DEADLINE_BUSINESS_DAYS: "soon" is not valid: expected a number of business days');
  expect(message({ PORT: 'abc' })).not.toMatch(/required/);
  // A secret's value is never echoed.
  const secret = message({ SLACK_BOT_TOKEN: 'xapp-123-secret' });
  expect(secret).toContain('SLACK_BOT_TOKEN: the value given is not valid');
  expect(secret).not.toContain('xapp-123-secret');
  // Missing is still "required".
  expect(message({ SLACK_BOT_TOKEN: '' })).toContain('SLACK_BOT_TOKEN: required');
});

test('durations accept fractions, PV business days too', () => {
  expect(loadConfig({ ...good, PV_DEADLINE_BUSINESS_DAYS: '1.5' }).pv.deadlineBusinessDays).toBe(1.5);
});

test('WORK_DAYS and MANAGER_USER_IDS: read when good, named when bad', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ALERT_CHANNEL_ID: 'C0ALERTS' };
  const c = loadConfig({ ...base, WORK_DAYS: 'Sun-Thu', MANAGER_USER_IDS: 'U0BOSS, U0LEAD' });
  expect(c.workHours).toEqual({ startMinute: 480, endMinute: 1080, days: [0, 1, 2, 3, 4] });
  expect(c.managerUserIds).toEqual(['U0BOSS', 'U0LEAD']);
  expect(() => loadConfig({ ...base, WORK_DAYS: 'Funday', MANAGER_USER_IDS: 'bob' })).toThrow(
    /WORK_DAYS: .*expected day names or ranges, e\.g\. Mon-Fri, Sun-Thu or Mon,Wed,Fri\n.*MANAGER_USER_IDS: .*expected comma-separated Slack user ids/s,
  );
});

test('DATABASE_POOL_MAX takes a whole number of connections from 1 to 100', () => {
  expect(loadConfig({ ...good, DATABASE_POOL_MAX: '25' }).databasePoolMax).toBe(25);
  for (const bad of ['0', '101', '2.5', 'ten']) {
    expect(() => loadConfig({ ...good, DATABASE_POOL_MAX: bad })).toThrow(
      `DATABASE_POOL_MAX: "${bad}" is not valid: expected a whole number of connections from 1 to 100`,
    );
  }
});
