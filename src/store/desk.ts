import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema';
import { OPEN_REMINDER } from './types';

/**
 * The rep's desk and the team view (App Home), and an HCP's timeline (/hcp who): read-only
 * queries, each named for what the reader wants to know.
 */
type Q = Kysely<Database> | Transaction<Database>;

const alertColumns = [
  'm.id',
  'm.author_handle',
  'm.author_name',
  'm.sentiment',
  'm.text',
  'm.url',
  'm.product',
  'm.received_at',
  'm.posted_at',
  'm.alert_channel',
  'm.alert_ts',
  'm.assignee',
  'm.email_drafted_by',
  'm.email_drafted_at',
  'm.first_action_at',
  'm.reopened_by',
  'm.reopened_at',
  'm.status',
] as const;

/**
 * A post folded into a burst's roll-up has no card of its own: it is a line in the roll-up's
 * thread, on a page posted as a reply (rollup_pages.ts). Lists link to that line instead.
 */
const rollupLineColumns = ['ru.channel as rollup_channel', 'rp.ts as rollup_page_ts'] as const;

/** A rep's open alerts, newest first, with the roster entry the card's controls depend on. */
export async function openAlertsOf(db: Q, user: string, limit: number) {
  const base = db.selectFrom('mentions as m').where('m.status', '=', 'open').where('m.assignee', '=', user);
  const rows = await base
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .leftJoin('rollups as ru', 'ru.id', 'm.rollup_id')
    .leftJoin('rollup_pages as rp', (j) => j.onRef('rp.rollup_id', '=', 'm.rollup_id').onRef('rp.page', '=', 'm.rollup_page'))
    .select([...alertColumns, ...rollupLineColumns, 'h.name as hcp_name', 'h.handle as hcp_handle'])
    .orderBy('m.received_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return { rows, total: Number(total?.n ?? 0) };
}
export type DeskAlertRow = Awaited<ReturnType<typeof openAlertsOf>>['rows'][number];

/** Open alerts per rep (null: nobody has it), most first. */
export const openAlertsByRep = (db: Q) =>
  db
    .selectFrom('mentions')
    .select(['assignee', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'open')
    .groupBy('assignee')
    .orderBy('n', 'desc')
    .execute();

/** Follow-ups past due and still open, per rep who has them (assignee, else roster owner). */
export const overdueFollowUpsByRep = (db: Q, now: Date) =>
  db
    .selectFrom('reminders as r')
    .innerJoin('mentions as m', 'm.id', 'r.mention_id')
    .leftJoin('hcps as h', 'h.handle', 'm.author_handle')
    .select([(eb) => eb.fn.coalesce('m.assignee', 'h.owner_slack_id').as('rep'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.kind', '=', 'follow_up')
    .where('r.status', 'in', OPEN_REMINDER)
    .where('r.due_at', '<', now.toISOString())
    .where('m.status', '=', 'open')
    .groupBy((eb) => eb.fn.coalesce('m.assignee', 'h.owner_slack_id'))
    .orderBy('n', 'desc')
    .execute();

/** Open alerts nobody has acted on within the response SLA, oldest first. */
export const responseSlaBreaches = (db: Q, receivedBefore: Date, limit: number) =>
  db
    .selectFrom('mentions as m')
    .leftJoin('rollups as ru', 'ru.id', 'm.rollup_id')
    .leftJoin('rollup_pages as rp', (j) => j.onRef('rp.rollup_id', '=', 'm.rollup_id').onRef('rp.page', '=', 'm.rollup_page'))
    .select(['m.id', 'm.author_handle', 'm.author_name', 'm.received_at', 'm.assignee', 'm.alert_channel', 'm.alert_ts', ...rollupLineColumns])
    .where('m.status', '=', 'open')
    .where('m.first_action_at', 'is', null)
    .where('m.email_drafted_by', 'is', null)
    .where('m.received_at', '<', receivedBefore.toISOString())
    .orderBy('m.received_at')
    .limit(limit)
    .execute();

/** Mentions received since `since`, counted by product and stance. */
export const mentionsByProductAndStance = (db: Q, since: Date) =>
  db
    .selectFrom('mentions')
    .select(['product', 'sentiment', (eb) => eb.fn.countAll<number>().as('n')])
    .where('received_at', '>=', since.toISOString())
    .where('status', '!=', 'received')
    .groupBy(['product', 'sentiment'])
    .orderBy('product')
    .execute();

/** An HCP's mentions, newest first, with where their cards are. */
export const timelineOf = (db: Q, handle: string, limit: number) =>
  db
    .selectFrom('mentions as m')
    .leftJoin('rollups as ru', 'ru.id', 'm.rollup_id')
    .leftJoin('rollup_pages as rp', (j) => j.onRef('rp.rollup_id', '=', 'm.rollup_id').onRef('rp.page', '=', 'm.rollup_page'))
    .select(['m.id', 'm.posted_at', 'm.sentiment', 'm.text', 'm.url', 'm.status', 'm.alert_channel', 'm.alert_ts', 'm.assignee', 'm.author_name', ...rollupLineColumns])
    .where('m.author_handle', '=', handle.toLowerCase())
    .where('m.status', '!=', 'received')
    .orderBy('m.posted_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
export type TimelineRow = Awaited<ReturnType<typeof timelineOf>>[number];

/** How many mentions an HCP has made (all time). */
export async function countMentionsBy(db: Q, handle: string): Promise<number> {
  const row = await db.selectFrom('mentions').select((eb) => eb.fn.countAll<number>().as('n')).where('author_handle', '=', handle.toLowerCase()).where('status', '!=', 'received').executeTakeFirst();
  return Number(row?.n ?? 0);
}
