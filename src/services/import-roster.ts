import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { handleSchema } from '../domain/mention';
import type { Database } from '../store/schema';
import type { FollowUpDays } from '../domain/reminder-rules';
import { openMentionsBy, upsertHcp } from '../store/mentions';
import { replanFollowUp } from './follow-up-plan';

/**
 * The HCP roster from CSV (CONTRACT.md, "The roster"): a header row, columns in any order,
 * only `handle` required. Valid rows are upserted by handle; each bad row is reported by line
 * and column and the rest still load.
 */
export const ROSTER_COLUMNS = ['handle', 'name', 'email', 'specialty', 'institution', 'npi', 'target', 'owner_slack_id', 'channel_id'] as const;

const optional = (inner: z.ZodType<string, string>) =>
  z
    .string()
    .trim()
    .optional()
    .transform((s) => (s === '' ? undefined : s))
    .pipe(inner.optional());

const rowSchema = z.object({
  handle: handleSchema,
  name: optional(z.string().max(200, 'must be at most 200 characters')),
  email: optional(z.email('expected an email address')),
  specialty: optional(z.string().max(200, 'must be at most 200 characters')),
  institution: optional(z.string().max(200, 'must be at most 200 characters')),
  npi: optional(z.string().regex(/^\d{10}$/, 'expected a 10-digit NPI')),
  target: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((v) => v === undefined || ['', 'yes', 'no', 'true', 'false', '1', '0'].includes(v), 'expected yes/no, true/false or 1/0')
    .transform((v) => v === 'yes' || v === 'true' || v === '1'),
  owner_slack_id: optional(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id (U…)')),
  channel_id: optional(z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id (C…)')),
});

export interface RosterProblem {
  line: number;
  column: string;
  message: string;
}

export interface RosterImportResult {
  loaded: number;
  rejected: RosterProblem[];
}

export class RosterFileError extends Error {}

/**
 * @param followUpDays when given, a changed target flag recomputes the open mentions'
 *   follow-ups (a new target's neutral post now deserves one; a former target's does not).
 */
export async function importRoster(db: Kysely<Database>, csv: string, now: Date, followUpDays?: FollowUpDays): Promise<RosterImportResult> {
  let records: { record: Record<string, string>; line: number }[];
  try {
    records = (
      parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: false, info: true, relax_column_count: false }) as {
        record: Record<string, string>;
        info: { lines: number };
      }[]
    ).map((r) => ({ record: r.record, line: r.info.lines }));
  } catch (err) {
    throw new RosterFileError(`the file is not valid CSV: ${(err as Error).message}`);
  }
  const header = Object.keys(records[0]?.record ?? {});
  if (records.length > 0 && !header.includes('handle')) throw new RosterFileError('the header row has no "handle" column');
  const unknown = header.filter((c) => !(ROSTER_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw new RosterFileError(`unknown column(s) ${unknown.join(', ')}; expected some of ${ROSTER_COLUMNS.join(', ')}`);

  const rejected: RosterProblem[] = [];
  const valid: z.output<typeof rowSchema>[] = [];
  for (const { record, line } of records) {
    const r = rowSchema.safeParse(record);
    if (r.success) valid.push(r.data);
    else for (const i of r.error.issues) rejected.push({ line, column: String(i.path[0] ?? ''), message: i.message });
  }
  const nowIso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const r of valid) {
      const values = {
        handle: r.handle.toLowerCase(),
        name: r.name ?? null,
        email: r.email ?? null,
        specialty: r.specialty ?? null,
        institution: r.institution ?? null,
        npi: r.npi ?? null,
        target: r.target ? 1 : 0,
        owner_slack_id: r.owner_slack_id ?? null,
        channel_id: r.channel_id ?? null,
        updated_at: nowIso,
      };
      const { targetBefore } = await upsertHcp(trx, values);
      if (followUpDays && (targetBefore ?? 0) !== values.target) {
        for (const m of await openMentionsBy(trx, values.handle)) await replanFollowUp(trx, m, values.target === 1, followUpDays, now, values.name ?? m.author_name ?? `@${values.handle}`);
      }
    }
  });
  return { loaded: valid.length, rejected };
}
