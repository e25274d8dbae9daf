import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startPulse, type Pulse } from '../../src/app';
import { PV_CHANNEL, mention, postMention, startHarness, type Harness } from '../support/harness';
import { freshPostgresDatabase } from '../support/postgres';
import { clickOn, sendInteraction } from '../support/slack-requests';

/**
 * Two bot instances on one PostgreSQL database (the real server), both watching PV deadlines
 * every second: an unacknowledged case is escalated exactly once, and a click on either
 * instance is one acknowledgement. The bots' clock is pinned to a Wednesday noon in New York.
 */
const WEDNESDAY_NOON_NY = Date.parse('2026-12-02T17:00:00Z');
const OWNER = 'U0OWNER';

let h: Harness;
let second: Pulse;
let drop: () => Promise<void>;
let shift = 0;
const now = () => new Date(Date.now() + shift);

beforeAll(async () => {
  shift = WEDNESDAY_NOON_NY - Date.now();
  const db = await freshPostgresDatabase();
  drop = db.drop;
  h = await startHarness({ DATABASE_URL: db.url, REMINDER_CRON: '* * * * * *', WORK_HOURS: 'always', PV_DEADLINE_BUSINESS_DAYS: '0.0001' }, { now }); // 8.6 s: time to acknowledge one case under load
  second = await startPulse(loadConfig(h.env), { logger: pino({ level: 'silent' }), now });
  await h.pulse.ctx.db.kysely.insertInto('hcps').values({ handle: 'drjane', name: 'Dr. Jane Doe', target: 1, owner_slack_id: OWNER, updated_at: now().toISOString() }).execute();
});
afterAll(async () => {
  await second.stop();
  await h.close();
  await drop();
});

const send = (id: string, text: string) => postMention(h.base, mention({ id, text }), { timestamp: Math.floor(now().getTime() / 1000) });
const pvMessages = () => h.slack.messages.filter((m) => m.channel === PV_CHANNEL && !m.thread_ts);
const repliesTo = (ts: string) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === PV_CHANNEL && c.args.thread_ts === ts);
const dmsTo = (user: string) => h.slack.succeeded('chat.postMessage').filter((c) => c.args.channel === user);

test('on PostgreSQL with two instances: one escalation for an unacknowledged case, none for an acknowledged one', async () => {
  expect(h.pulse.ctx.db.dialect).toBe('postgres');
  expect((await send('pg-ae-1', 'My patient developed a severe rash after starting Zentiva.')).status).toBe(202);
  expect((await send('pg-ae-2', 'Two of my patients were hospitalized with liver injury after Zentiva.')).status).toBe(202);
  await h.slack.waitFor(() => pvMessages().length === 2, 8000, 'two PV messages');
  const [first, other] = pvMessages();
  // Acknowledge the second case right away, through the second instance's own HTTP port.
  const acked = JSON.stringify(first!.blocks).includes('liver') ? first! : other!;
  const open = acked === first ? other! : first!;
  await sendInteraction(`http://127.0.0.1:${second.port}`, clickOn({ channel: acked.channel, ts: acked.ts, blocks: acked.blocks }, 'Acknowledge', 'U0PV1'));

  await h.slack.waitFor(() => repliesTo(open.ts).length === 1 && dmsTo(OWNER).length === 1, 20_000, 'the escalation');
  // Several more ticks on both instances.
  await new Promise((r) => setTimeout(r, 3000));
  expect(repliesTo(open.ts)).toHaveLength(1);
  expect(dmsTo(OWNER)).toHaveLength(1);
  expect(repliesTo(acked.ts)).toHaveLength(0);
  const escalated = await h.pulse.ctx.db.kysely.selectFrom('audit').select('mention_id').where('action', '=', 'pv.escalated').execute();
  expect(escalated).toHaveLength(1);
  const cases = await h.pulse.ctx.db.kysely.selectFrom('pv_cases').select(['status', 'escalated_at']).orderBy('id').execute();
  expect(cases.filter((c) => c.escalated_at !== null)).toHaveLength(1);
  expect(cases.filter((c) => c.status === 'acknowledged' && c.escalated_at === null)).toHaveLength(1);
});
