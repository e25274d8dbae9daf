import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db';

/**
 * Schema history. Migrations only ever append: a deployed database is moved forward by the
 * ones it has not run yet (Kysely records them in its own table and locks while migrating,
 * so several instances can start at once).
 */
export function migrations(dialect: Dialect): Record<string, Migration> {
  // The one non-portable piece: an auto-incrementing integer key.
  const id = <T extends string>(table: Kysely<any>, name: T) =>
    dialect === 'postgres'
      ? table.schema.createTable(name).addColumn('id', 'serial', (c) => c.primaryKey())
      : table.schema.createTable(name).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    '001_initial': {
      async up(db: Kysely<any>) {
        await id(db, 'mentions')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('external_id', 'text', (c) => c.notNull())
          .addColumn('url', 'text')
          .addColumn('author_handle', 'text', (c) => c.notNull())
          .addColumn('author_name', 'text')
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('text_from_reporter', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('posted_at', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('product', 'text')
          .addColumn('via', 'text', (c) => c.notNull())
          .addColumn('reported_by', 'text')
          .addColumn('sentiment', 'text', (c) => c.notNull())
          .addColumn('sentiment_score', 'real', (c) => c.notNull())
          .addColumn('sentiment_cues', 'text', (c) => c.notNull())
          .addColumn('adverse_event', 'integer', (c) => c.notNull())
          .addColumn('adverse_event_cues', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('assignee', 'text')
          .addColumn('done_by', 'text')
          .addColumn('done_at', 'text')
          .addColumn('done_reason', 'text')
          .addColumn('email_drafted_by', 'text')
          .addColumn('email_drafted_at', 'text')
          .addColumn('alert_channel', 'text')
          .addColumn('alert_ts', 'text')
          .addColumn('pv_channel', 'text')
          .addColumn('pv_ts', 'text')
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('mentions_source_external_id', ['source', 'external_id'])
          .execute();
        await db.schema.createIndex('mentions_alert_ts').on('mentions').columns(['alert_channel', 'alert_ts']).execute();
        await db.schema.createIndex('mentions_author').on('mentions').column('author_handle').execute();

        await db.schema
          .createTable('hcps')
          .addColumn('handle', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text')
          .addColumn('email', 'text')
          .addColumn('specialty', 'text')
          .addColumn('institution', 'text')
          .addColumn('npi', 'text')
          .addColumn('target', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('owner_slack_id', 'text')
          .addColumn('channel_id', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('hcps_institution').on('hcps').column('institution').execute();
        await db.schema.createIndex('hcps_specialty').on('hcps').column('specialty').execute();

        await id(db, 'reminders')
          .addColumn('mention_id', 'integer', (c) => c.notNull().references('mentions.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('due_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('instruction', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .addColumn('delivered_at', 'text')
          .addColumn('delivered_channel', 'text')
          .addColumn('delivered_ts', 'text')
          .addColumn('completed_by', 'text')
          .addColumn('completed_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // The scheduler's due-query: pending reminders by due time.
        await db.schema.createIndex('reminders_due').on('reminders').columns(['status', 'due_at']).execute();
        await db.schema.createIndex('reminders_mention').on('reminders').column('mention_id').execute();

        await id(db, 'outbox')
          .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('locked_until', 'text')
          .addColumn('in_flight', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('last_error', 'text')
          .addColumn('result', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .execute();
        await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

        await id(db, 'audit')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('mention_id', 'integer')
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .execute();
        await db.schema.createIndex('audit_at').on('audit').column('at').execute();

        await db.schema
          .createTable('slack_events')
          .addColumn('event_id', 'text', (c) => c.primaryKey())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        for (const t of ['slack_events', 'audit', 'outbox', 'reminders', 'hcps', 'mentions']) {
          await sql`drop table if exists ${sql.table(t)}`.execute(db);
        }
      },
    },
    '002_sentiment_corrections': {
      // A rep's correction of the classifier is a labelled example for measuring and tuning it.
      async up(db: Kysely<any>) {
        await id(db, 'sentiment_corrections')
          .addColumn('mention_id', 'integer', (c) => c.notNull().references('mentions.id'))
          .addColumn('text', 'text', (c) => c.notNull())
          .addColumn('predicted', 'text', (c) => c.notNull())
          .addColumn('corrected', 'text', (c) => c.notNull())
          .addColumn('corrected_by', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('sentiment_corrections').ifExists().execute();
      },
    },
    '003_classification': {
      // The staged classifier's whole answer (language, kind, stance, cues, adverse-event
      // elements, medical question), and the medical-question flag as a column for queries.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('mentions').addColumn('classification', 'text').execute();
        await db.schema.alterTable('mentions').addColumn('medical_question', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('mentions').dropColumn('medical_question').execute();
        await db.schema.alterTable('mentions').dropColumn('classification').execute();
      },
    },
    '004_label_corrections': {
      // Every rep correction of a label (stance, adverse event, medical question), the
      // labelled examples `labels:export` writes. Earlier sentiment corrections move over.
      async up(db: Kysely<any>) {
        await id(db, 'label_corrections')
          .addColumn('mention_id', 'integer', (c) => c.notNull().references('mentions.id'))
          .addColumn('field', 'text', (c) => c.notNull())
          .addColumn('predicted', 'text', (c) => c.notNull())
          .addColumn('corrected', 'text', (c) => c.notNull())
          .addColumn('corrected_by', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('label_corrections_at').on('label_corrections').column('at').execute();
        await sql`insert into label_corrections (mention_id, field, predicted, corrected, corrected_by, at)
          select mention_id, 'stance', predicted, corrected, corrected_by, at from sentiment_corrections order by id`.execute(db);
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('label_corrections').ifExists().execute();
      },
    },
    '005_tool_labels': {
      // What the listening tool itself said: its sentiment label and the query, topic or rule
      // that matched. Kept beside our classification, never in place of it.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('mentions').addColumn('tool_sentiment', 'text').execute();
        await db.schema.alterTable('mentions').addColumn('tool_query', 'text').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('mentions').dropColumn('tool_query').execute();
        await db.schema.alterTable('mentions').dropColumn('tool_sentiment').execute();
        },
      },
    '006_pv_cases_and_referrals': {
      // PV's side of a possible adverse event (acknowledge, not an AE, reported, the deadline
      // escalation) and Medical Information's side of a medical question, one row per mention.
      async up(db: Kysely<any>) {
        await id(db, 'pv_cases')
          .addColumn('mention_id', 'integer', (c) => c.notNull().unique().references('mentions.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('opened_by', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('deadline_at', 'text', (c) => c.notNull())
          .addColumn('pv_channel', 'text')
          .addColumn('pv_ts', 'text')
          .addColumn('pv_posted_at', 'text')
          .addColumn('acknowledged_by', 'text')
          .addColumn('acknowledged_at', 'text')
          .addColumn('closed_by', 'text')
          .addColumn('closed_at', 'text')
          .addColumn('not_ae_reason', 'text')
          .addColumn('safety_case_id', 'text')
          .addColumn('escalated_at', 'text')
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // The deadline watcher's query: open cases by deadline.
        await db.schema.createIndex('pv_cases_deadline').on('pv_cases').columns(['status', 'deadline_at']).execute();
        await db.schema.createIndex('pv_cases_opened').on('pv_cases').column('opened_at').execute();

        await id(db, 'medical_referrals')
          .addColumn('mention_id', 'integer', (c) => c.notNull().unique().references('mentions.id'))
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('referred_by', 'text', (c) => c.notNull())
          .addColumn('referred_at', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('ts', 'text')
          .addColumn('posted_at', 'text')
          .addColumn('answered_by', 'text')
          .addColumn('answered_at', 'text')
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('medical_referrals_referred').on('medical_referrals').column('referred_at').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('medical_referrals').ifExists().execute();
        await db.schema.dropTable('pv_cases').ifExists().execute();
      },
    },
    '006_card_states': {
      // Where the rep's work stands, for the card that shrinks as it progresses: when a rep
      // first acted (until then the card shows the whole playbook) and who reopened it.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('mentions').addColumn('first_action_at', 'text').execute();
        await db.schema.alterTable('mentions').addColumn('reopened_by', 'text').execute();
        await db.schema.alterTable('mentions').addColumn('reopened_at', 'text').execute();
        // Alerts a rep had already worked keep counting as worked.
        await sql`update mentions set first_action_at = updated_at where assignee is not null or email_drafted_by is not null or status = 'done'`.execute(db);
      },
      async down(db: Kysely<any>) {
        for (const c of ['reopened_at', 'reopened_by', 'first_action_at']) await db.schema.alterTable('mentions').dropColumn(c).execute();
      },
    },
    '007_outbox_lanes': {
      // The outbox claims only what may be sent now: each entry knows its lane (new post,
      // paced per channel; or update in place, never queued behind posts), its channel and
      // its urgency, and each channel when it may take its next post.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('outbox').addColumn('lane', 'text', (c) => c.notNull().defaultTo('post')).execute();
        await db.schema.alterTable('outbox').addColumn('channel', 'text').execute();
        await db.schema.alterTable('outbox').addColumn('rank', 'integer', (c) => c.notNull().defaultTo(5)).execute();
        const pending = await db.selectFrom('outbox').select(['id', 'kind', 'payload']).where('status', '=', 'pending').execute();
        for (const row of pending as { id: number; kind: string; payload: string }[]) {
          const channel = String((JSON.parse(row.payload) as { channel?: unknown }).channel ?? '');
          const lane = row.kind === 'card_update' || row.kind === 'reminder_update' ? 'update' : 'post';
          await db.updateTable('outbox').set({ channel, lane }).where('id', '=', row.id).execute();
        }
        // A channel's next post, by urgency; and the update lane, by urgency.
        await db.schema.createIndex('outbox_claim').on('outbox').columns(['status', 'lane', 'channel', 'rank', 'id']).execute();
        await db.schema.createIndex('outbox_lane').on('outbox').columns(['status', 'lane', 'rank', 'id']).execute();
        // Superseded by the two above (and it tempted the planner into scanning every due post).
        await db.schema.dropIndex('outbox_due').execute();
        await db.schema
          .createTable('outbox_channels')
          .addColumn('channel', 'text', (c) => c.primaryKey())
          .addColumn('ready_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('outbox_channels_ready').on('outbox_channels').column('ready_at').execute();
        await sql`insert into outbox_channels (channel, ready_at)
          select distinct channel, '1970-01-01T00:00:00.000Z' from outbox where status = 'pending' and channel is not null`.execute(db);
      },
      async down(db: Kysely<any>) {
        await db.schema.dropTable('outbox_channels').ifExists().execute();
        await db.schema.dropIndex('outbox_claim').ifExists().execute();
        await db.schema.dropIndex('outbox_lane').ifExists().execute();
        await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
        await db.schema.alterTable('outbox').dropColumn('rank').execute();
        await db.schema.alterTable('outbox').dropColumn('channel').execute();
        await db.schema.alterTable('outbox').dropColumn('lane').execute();
      },
    },
    '008_hcps_active': {
      // Retiring an HCP keeps their row (mentions and audit refer to it) but stops using it.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('hcps').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('hcps').dropColumn('active').execute();
      },
    },
    '009_reminder_recipient': {
      // A rep's own outreach reminder goes to that rep, whoever owns the alert, and a second
      // click on the same name is the same reminder (unique key; nulls never collide).
      async up(db: Kysely<any>) {
        await db.schema.alterTable('reminders').addColumn('recipient', 'text').execute();
        await db.schema.alterTable('reminders').addColumn('dedupe_key', 'text').execute();
        await db.schema.createIndex('reminders_dedupe_key').on('reminders').column('dedupe_key').unique().execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('reminders_dedupe_key').ifExists().execute();
        await db.schema.alterTable('reminders').dropColumn('dedupe_key').execute();
        await db.schema.alterTable('reminders').dropColumn('recipient').execute();
      },
    },
    '010_burst_rollups': {
      // A burst's low-priority cards are folded into one roll-up message per channel, each
      // post listed in a page of its thread (25 to a page, so the thread's replies are paced
      // too). A mention knows its roll-up and page, and who opened it as a full card.
      async up(db: Kysely<any>) {
        await id(db, 'rollups')
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('last_folded_at', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('ts', 'text')
          .addColumn('posted_at', 'text')
          .execute();
        await db.schema.createIndex('rollups_channel_status').on('rollups').columns(['channel', 'status']).execute();
        await db.schema
          .createTable('rollup_pages')
          .addColumn('rollup_id', 'integer', (c) => c.notNull())
          .addColumn('page', 'integer', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('ts', 'text')
          .addPrimaryKeyConstraint('rollup_pages_pk', ['rollup_id', 'page'])
          .execute();
        await db.schema.alterTable('mentions').addColumn('rollup_id', 'integer').execute();
        await db.schema.alterTable('mentions').addColumn('rollup_page', 'integer').execute();
        await db.schema.alterTable('mentions').addColumn('opened_as_card_by', 'text').execute();
        await db.schema.alterTable('mentions').addColumn('opened_as_card_at', 'text').execute();
        await db.schema.createIndex('mentions_rollup').on('mentions').columns(['rollup_id', 'rollup_page']).execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.dropIndex('mentions_rollup').ifExists().execute();
        for (const c of ['opened_as_card_at', 'opened_as_card_by', 'rollup_page', 'rollup_id']) await db.schema.alterTable('mentions').dropColumn(c).execute();
        await db.schema.dropTable('rollup_pages').ifExists().execute();
        await db.schema.dropTable('rollups').ifExists().execute();
      },
    },
    '011_outbox_channel_turns': {
      // Shipped for a short-lived rule (priority cards and a roll-up's messages took turns),
      // dropped by 012: priority cards go first (CONTRACT, Bursts). Kept so that a database
      // that ran it migrates on.
      async up(db: Kysely<any>) {
        await db.schema.alterTable('outbox_channels').addColumn('last_rank', 'integer').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('outbox_channels').dropColumn('last_rank').execute();
      },
    },
    '012_outbox_channel_turns_dropped': {
      async up(db: Kysely<any>) {
        await db.schema.alterTable('outbox_channels').dropColumn('last_rank').execute();
      },
      async down(db: Kysely<any>) {
        await db.schema.alterTable('outbox_channels').addColumn('last_rank', 'integer').execute();
      },
    },
    '013_mentions_received': {
      // Mentions a flood left received (not classified yet): the sweeps find them without
      // reading every mention. Partial, so it holds only the few waiting at any time.
      async up(db: Kysely<any>) {
        await sql`create index mentions_received on mentions (id) where status = 'received'`.execute(db);
      },
      async down(db: Kysely<any>) {
        // Code before 013 neither opens received mentions nor hides them: undo it only once none is left.
        const { rows } = await sql<{ n: number | string }>`select count(*) as n from mentions where status = 'received'`.execute(db);
        const waiting = Number(rows[0]?.n ?? 0);
        if (waiting > 0) {
          throw new Error(`migration 013 cannot be undone while ${waiting} mention(s) wait for their classification: run this version until hcp_pulse_mentions_unclassified is 0, then go back`);
        }
        await db.schema.dropIndex('mentions_received').ifExists().execute();
      },
    },
  };
}
