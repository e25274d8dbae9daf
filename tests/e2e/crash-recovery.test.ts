import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { mention, postMention, testEnv } from '../support/harness';
import { freePort, spawnBot, waitForHealthy } from '../support/process';

jest.setTimeout(60_000);

test('a bot killed after 202 while Slack fails posts the card once after restart', async () => {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-crash-'));
  const port = await freePort();
  const env = testEnv(slack.url, dir, { PORT: String(port), PV_CHANNEL_ID: '', LOG_LEVEL: 'warn' });
  const base = `http://127.0.0.1:${port}`;
  try {
    slack.failAlways('chat.postMessage', { status: 500 });
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    const res = await postMention(base, mention({ id: 'crash-1' }));
    expect(res.status).toBe(202);
    await slack.waitFor(() => slack.callsOf('chat.postMessage').length >= 1, 10_000, 'a failed delivery attempt');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(0);

    slack.heal('chat.postMessage');
    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.succeeded('chat.postMessage').length >= 1, 15_000, 'the card after restart');
    await new Promise((r) => setTimeout(r, 2000));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    expect(String(slack.succeeded('chat.postMessage')[0]!.args.text)).toContain('Dr. Jane Doe');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a send interrupted by a crash after Slack took it is not posted again', async () => {
  const slack = await new SlackDouble().start();
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-crash-'));
  const port = await freePort();
  const env = testEnv(slack.url, dir, { PORT: String(port), PV_CHANNEL_ID: '', LOG_LEVEL: 'warn' });
  const base = `http://127.0.0.1:${port}`;
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    // Slack records the message, then the bot dies before it can mark the entry sent.
    slack.onCall = (method) => {
      if (method === 'chat.postMessage') first.child.kill('SIGKILL');
    };
    expect((await postMention(base, mention({ id: 'crash-2' }))).status).toBe(202);
    await first.exited;
    slack.onCall = undefined;
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);

    const second = spawnBot(env);
    await waitForHealthy(base, second);
    await slack.waitFor(() => slack.callsOf('conversations.history').length >= 1, 15_000, 'the look-up of the interrupted send');
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.succeeded('chat.postMessage')).toHaveLength(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
