import { spawnBot } from '../support/process';

test('a bad environment stops start-up with one message naming every bad variable', async () => {
  const bot = spawnBot({ SLACK_BOT_TOKEN: 'not-a-token', PORT: 'x', WORK_HOURS: 'nine to five' });
  expect(await bot.exited).toBe(1);
  const out = bot.output();
  expect(out).toContain('HCP Pulse cannot start: fix these environment variables');
  for (const v of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'ALERT_CHANNEL_ID', 'PORT', 'WORK_HOURS']) expect(out).toContain(`  - ${v}: `);
  expect(out).not.toContain('not-a-token');
});

test('a token Slack cannot verify is a clear start-up error', async () => {
  const bot = spawnBot({
    SLACK_BOT_TOKEN: 'xoxb-secret-value',
    SLACK_SIGNING_SECRET: 's',
    ALERT_CHANNEL_ID: 'C0ALERTS',
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    DATABASE_URL: 'file::memory:',
    PORT: '0',
  });
  expect(await bot.exited).toBe(1);
  expect(bot.output()).toContain('could not verify SLACK_BOT_TOKEN with Slack at http://127.0.0.1:9/api/');
  expect(bot.output()).not.toContain('xoxb-secret-value');
});
