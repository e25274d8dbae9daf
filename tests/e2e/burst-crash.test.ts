import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlackDouble } from '../../scripts/lib/slack-double';
import { ALERT_CHANNEL, mention, postMention, testEnv } from '../support/harness';
import { freePort, spawnBot, waitForHealthy, type BotProcess } from '../support/process';
import { openDatabase } from '../../src/store/db';

// Three bot processes through tsx: slow on a busy machine.
jest.setTimeout(180_000);

/**
 * A bot killed mid-burst loses nothing and doubles nothing: killed once just as Slack takes the
 * roll-up message, and again just as it takes the roll-up's first thread page, the third run
 * finishes the burst with one roll-up, one page listing every folded post once, and the
 * adverse event's card once.
 */
test('a crash mid-burst, at the roll-up and then at its thread page, loses no post and posts nothing twice', async () => {
  const slack = await new SlackDouble().start();
  slack.channelIntervalMs = 1000;
  const dir = mkdtempSync(join(tmpdir(), 'hcp-pulse-burst-crash-'));
  const port = await freePort();
  const env = testEnv(slack.url, dir, { PORT: String(port), PV_CHANNEL_ID: '', BURST_HOLD_SECONDS: '2', LOG_LEVEL: 'warn' });
  const base = `http://127.0.0.1:${port}`;
  const posted = () => slack.succeeded('chat.postMessage').filter((c) => c.args.channel === ALERT_CHANNEL);
  /** What the bot posted in the channel, in order (other thread replies, e.g. the AE's follow-up, left out). */
  const story = () =>
    posted()
      .map((c) => (isRollup(c.args.blocks) ? 'rollup' : !c.args.thread_ts ? 'card' : itemIds(c.args.blocks).length > 0 ? 'page' : 'reply'))
      .filter((k) => k !== 'reply');
  const isRollup = (blocks: unknown) => (blocks as any[] | undefined)?.[0]?.block_id?.startsWith('rollup:') === true;
  const itemIds = (blocks: unknown): number[] =>
    ((blocks as any[]) ?? []).map((b) => /^rollup_item:(\d+)$/.exec(b.block_id ?? '')?.[1]).filter(Boolean).map(Number);
  /** Kills the bot as soon as Slack has recorded a call that `when` recognises. */
  const killOn = (bot: BotProcess, when: (args: Record<string, unknown>) => boolean) => {
    slack.onCall = (method) => {
      if (method === 'chat.postMessage' && when(slack.calls.at(-1)!.args)) bot.child.kill('SIGKILL');
    };
  };
  try {
    const first = spawnBot(env);
    await waitForHealthy(base, first);
    killOn(first, (args) => isRollup(args.blocks));
    const routine = Array.from({ length: 14 }, (_, i) =>
      mention({ id: `crash-burst-${i}`, url: `https://x.com/dr${i}/status/crash-burst-${i}`, author: { handle: `@drc${i}`, name: `Dr. C${i}` }, text: 'Nice talk about Zentiva at the congress today.' }),
    );
    const ae = mention({ id: 'crash-burst-ae', text: 'My patient developed a severe rash ten days after starting Zentiva. Stopped it, resolving now.' });
    expect((await postMention(base, { mentions: [...routine.slice(0, 7), ae, ...routine.slice(7)] })).status).toBe(202);
    await first.exited;
    // The adverse event's card went first; the roll-up reached Slack, its outcome never recorded.
    expect(story()).toEqual(['card', 'rollup']);

    const second = spawnBot(env);
    killOn(second, (args) => Boolean(args.thread_ts) && itemIds(args.blocks).length > 0);
    await waitForHealthy(base, second);
    await second.exited;
    // The roll-up was found in the channel, not posted again; its page reached Slack.
    expect(slack.callsOf('conversations.history').length).toBeGreaterThanOrEqual(1);
    expect(story()).toEqual(['card', 'rollup', 'page']);

    slack.onCall = undefined;
    const third = spawnBot(env);
    await waitForHealthy(base, third);
    const rollupTs = slack.messages.find((m) => isRollup(m.blocks))!.ts;
    const page = () => slack.messages.find((m) => m.thread_ts === rollupTs && itemIds(m.blocks).length > 0);
    await slack.waitFor(() => itemIds(page()?.blocks).length === 14 && /^14 more posts/.test(String(slack.messages.find((m) => m.ts === rollupTs)!.text)), 30_000, 'every post listed');
    await new Promise((r) => setTimeout(r, 2500));
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);

    // The page's interrupted send was looked up in the roll-up's thread, not posted again.
    expect(slack.callsOf('conversations.replies').some((c) => c.args.ts === rollupTs)).toBe(true);
    // Nothing twice: one card, one roll-up, one page; nothing lost: every folded post listed once.
    expect(story()).toEqual(['card', 'rollup', 'page']);
    const db = await openDatabase(env.DATABASE_URL!);
    try {
      const ids = await db.kysely.selectFrom('mentions').select(['id', 'external_id', 'rollup_id']).execute();
      const folded = ids.filter((m) => m.external_id !== 'crash-burst-ae');
      expect(folded.every((m) => m.rollup_id !== null)).toBe(true);
      expect([...itemIds(page()!.blocks)].sort((a, b) => a - b)).toEqual(folded.map((m) => m.id).sort((a, b) => a - b));
      const outbox = await db.kysely.selectFrom('outbox').select(['kind', 'status']).execute();
      expect(outbox.filter((e) => e.status === 'pending')).toEqual([]);
      expect(outbox.filter((e) => e.kind === 'alert_card' && e.status === 'folded')).toHaveLength(14);
    } finally {
      await db.close();
    }
  } finally {
    slack.onCall = undefined;
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
