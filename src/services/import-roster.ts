import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { handleSchema } from '../domain/mention';
import type { Database } from '../store/schema';
import type { FollowUpDays } from '../domain/reminder-rules';
import type { HcpRow } from '../store/schema';
import { listRoster, openMentionsBy, retireHcps, upsertHcp } from '../store/mentions';
import { replanFollowUp } from './follow-up-plan';

/**
 * The HCP roster from CSV (CONTRACT.md, "The roster"): a header row, columns in any order,
 * only `handle` required. Valid rows are upserted by handle; each bad row is reported by line
 * and column and the rest still load. `active` = no retires an HCP (the row and their mentions
 * stay); `prune` retires every active HCP the file does not name; `dryRun` reports the same
 * changes and writes nothing.
 */
export const ROSTER_COLUMNS = ['handle', 'name', 'email', 'specialty', 'institution', 'npi', 'target', 'owner_slack_id', 'channel_id', 'active'] as const;

const yesNo = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .refine((v) => v === undefined || ['', 'yes', 'no', 'true', 'false', '1', '0'].includes(v), 'expected yes/no, true/false or 1/0')
    .transform((v) => (v === undefined || v === '' ? fallback : v === 'yes' || v === 'true' || v === '1'));

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
  target: yesNo(false),
  owner_slack_id: optional(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id (U…)')),
  channel_id: optional(z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a Slack channel id (C…)')),
  active: yesNo(true),
});

export interface RosterProblem {
  line: number;
  column: string;
  message: string;
}

/** What the import does (or, in a dry run, would do) to one HCP. */
export type RosterChange =
  | { handle: string; kind: 'added' }
  | { handle: string; kind: 'updated'; fields: string[] }
  | { handle: string; kind: 'unchanged' }
  | { handle: string; kind: 'retired'; reason: 'active_no' | 'missing' };

export interface RosterImportResult {
  loaded: number;
  rejected: RosterProblem[];
  changes: RosterChange[];
  totals: Record<RosterChange['kind'], number>;
  dryRun: boolean;
}

export interface RosterImportOptions {
  /** Follow-up delays: when given, a changed (effective) target recomputes open follow-ups. */
  followUpDays?: FollowUpDays;
  dryRun?: boolean;
  /** Retire every active HCP the file does not name. */
  prune?: boolean;
}

export class RosterFileError extends Error {}

const COMPARED = ['name', 'email', 'specialty', 'institution', 'npi', 'target', 'owner_slack_id', 'channel_id', 'active'] as const;

/** A retired HCP is never treated as a target (no target follow-ups). */
const effectiveTarget = (h: Pick<HcpRow, 'target' | 'active'> | undefined) => (h ? h.target === 1 && h.active === 1 : false);

/**
 * @param options.followUpDays when given, a changed target flag or retirement recomputes the
 *   open mentions' follow-ups (a new target's neutral post now deserves one; a former or
 *   retired target's does not).
 */
export async function importRoster(db: Kysely<Database>, csv: string, now: Date, options: RosterImportOptions = {}): Promise<RosterImportResult> {
  const { followUpDays, dryRun = false, prune = false } = options;
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
  const existing = new Map((await listRoster(db)).map((h) => [h.handle, h]));
  // Every handle the file names, rejected rows included: a row with a typo elsewhere is not "missing".
  const named = new Set<string>();
  for (const { record } of records) {
    const h = handleSchema.safeParse(record.handle);
    if (h.success) named.add(h.data.toLowerCase());
  }
  // A column the file does not have keeps what the roster holds (a short file such as
  // `handle,active` retires an HCP without wiping their details); an empty cell in a column
  // the file has clears that detail. Last row wins when a handle repeats, as the upserts in
  // file order would.
  const has = new Set(header);
  const rows = new Map<string, Omit<HcpRow, 'updated_at'>>();
  for (const r of valid) {
    const handle = r.handle.toLowerCase();
    const given: Omit<HcpRow, 'updated_at' | 'handle'> = {
      name: r.name ?? null,
      email: r.email ?? null,
      specialty: r.specialty ?? null,
      institution: r.institution ?? null,
      npi: r.npi ?? null,
      target: r.target ? 1 : 0,
      owner_slack_id: r.owner_slack_id ?? null,
      channel_id: r.channel_id ?? null,
      active: r.active ? 1 : 0,
    };
    const base = existing.get(handle);
    const merged = { handle, ...given };
    if (base) for (const f of COMPARED) if (!has.has(f)) (merged as Record<string, unknown>)[f] = base[f];
    rows.set(handle, merged);
  }
  const changes: RosterChange[] = [];
  for (const [handle, v] of rows) {
    const before = existing.get(handle);
    if (!before) changes.push({ handle, kind: 'added' });
    else if (before.active === 1 && v.active === 0) changes.push({ handle, kind: 'retired', reason: 'active_no' });
    else {
      const fields = COMPARED.filter((f) => before[f] !== v[f]);
      changes.push(fields.length ? { handle, kind: 'updated', fields } : { handle, kind: 'unchanged' });
    }
  }
  const pruned = prune ? [...existing.values()].filter((h) => h.active === 1 && !named.has(h.handle)).map((h) => h.handle) : [];
  for (const handle of pruned) changes.push({ handle, kind: 'retired', reason: 'missing' });
  const totals = { added: 0, updated: 0, unchanged: 0, retired: 0 };
  for (const c of changes) totals[c.kind]++;
  const result = { loaded: valid.length, rejected, changes, totals, dryRun };
  if (dryRun) return result;

  await db.transaction().execute(async (trx) => {
    const replan = async (handle: string, isTarget: boolean, name: string | null) => {
      if (!followUpDays) return;
      for (const m of await openMentionsBy(trx, handle)) await replanFollowUp(trx, m, isTarget, followUpDays, now, name ?? m.author_name ?? `@${handle}`);
    };
    for (const v of rows.values()) {
      await upsertHcp(trx, { ...v, updated_at: nowIso });
      const before = existing.get(v.handle);
      if (effectiveTarget(before) !== effectiveTarget(v)) await replan(v.handle, effectiveTarget(v), v.name);
    }
    await retireHcps(trx, pruned, now);
    for (const handle of pruned) if (effectiveTarget(existing.get(handle))) await replan(handle, false, existing.get(handle)?.name ?? null);
  });
  return result;
}
