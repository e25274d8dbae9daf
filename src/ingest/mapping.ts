import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { mentionInputSchema, type MentionInput } from '../domain/mention';
import type { PayloadIssue } from './payloads';

/**
 * WEBHOOK_MAPPING: a JSON file of named field mappings, so a listening tool's own JSON
 * (Meltwater, a Brandwatch export, a Zapier step) becomes mentions without code. The tool picks
 * its mapping with `POST /webhooks/mentions?mapping=<name>`; without `?mapping` the body is one
 * of our own shapes. A mapped body goes through the same schema as any other, so every rule
 * (lengths, URL, handle) holds for it too.
 *
 *   { "meltwater": { "items": "documents", "fields": { "id": "id", "text": ["content.opening_text", "content.title"], … } } }
 *
 * A field is a dot path into one item ("author.handle", "matched.inputs.0.name"), a list of
 * paths (the first present wins), or {"value": "…"} for a constant.
 */

const PATH = /^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/;
const pathSchema = z.string().regex(PATH, 'expected a dot path such as "author.handle" or "matched.inputs.0.name"');
const fieldSchema = z.union([
  pathSchema,
  z.array(pathSchema).min(1, 'expected at least one path'),
  z.object({ value: z.string().min(1) }).strict(),
], { error: 'expected a dot path, a list of dot paths, or {"value": "…"}' });

export const MAPPED_FIELDS = ['source', 'id', 'url', 'authorHandle', 'authorName', 'text', 'postedAt', 'product', 'toolSentiment', 'toolQuery'] as const;
type MappedField = (typeof MAPPED_FIELDS)[number];

const mappingSchema = z
  .object({
    /** Where the list of posts is in the body; absent: the body is one post. */
    items: pathSchema.optional(),
    fields: z
      .object({
        source: fieldSchema.optional(),
        id: fieldSchema,
        url: fieldSchema.optional(),
        authorHandle: fieldSchema,
        authorName: fieldSchema.optional(),
        text: fieldSchema,
        postedAt: fieldSchema.optional(),
        product: fieldSchema.optional(),
        toolSentiment: fieldSchema.optional(),
        toolQuery: fieldSchema.optional(),
      }, { error: 'required: "fields" with at least id, authorHandle and text' })
      .strict(),
  })
  .strict();

const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const fileSchema = z.record(
  z.string().regex(NAME, 'a mapping name is 1-32 lower-case letters, digits, - or _ (it is used in ?mapping=…)'),
  mappingSchema,
).refine((m) => Object.keys(m).length > 0, 'expected at least one named mapping');

export type FieldMapping = z.output<typeof mappingSchema>;
export type WebhookMappings = Record<string, FieldMapping>;

export class MappingFileError extends Error {}

/** Parses a mapping file's JSON; every problem is listed with its place in the file. */
export function parseWebhookMappings(raw: unknown, file: string): WebhookMappings {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new MappingFileError(`WEBHOOK_MAPPING ${file} is not a valid mapping file:\n  - ${lines.join('\n  - ')}\n  (see README, "Connecting a listening tool")`);
  }
  return parsed.data;
}

/** Reads and checks the file at start-up, so a mistake stops the bot instead of losing posts. */
export function loadWebhookMappings(file: string): WebhookMappings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MappingFileError(`WEBHOOK_MAPPING ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  return parseWebhookMappings(raw, file);
}

const get = (obj: unknown, path: string): unknown => {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    // Own properties only: a path must never reach Object.prototype.
    if (!Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
};

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The value of one mapped field in one item, and the tool's own path it came from. */
function pick(item: unknown, field: FieldMapping['fields'][MappedField]): { value: unknown; from: string } | undefined {
  if (field === undefined) return undefined;
  if (typeof field === 'object' && !Array.isArray(field)) return { value: field.value, from: '(constant)' };
  const paths = Array.isArray(field) ? field : [field];
  for (const p of paths) {
    const v = get(item, p);
    if (present(v)) return { value: v, from: p };
  }
  return { value: undefined, from: paths.join(' | ') };
}

/** Tools write dates their own way (epoch seconds or ms, "+0000" offsets): normalise to ISO 8601. */
function toIso(v: unknown): unknown {
  if (typeof v === 'number' && Number.isFinite(v)) return new Date(v < 1e12 ? v * 1000 : v).toISOString();
  if (typeof v === 'string') {
    const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(t) ? v : new Date(t).toISOString();
  }
  return v;
}

const text = (v: unknown): unknown => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v);

export type MappedResult = { ok: true; mentions: MentionInput[] } | { ok: false; issues: PayloadIssue[] };

/** Applies a mapping to a tool's body: each item becomes a mention or an issue at the tool's own path. */
export function applyMapping(name: string, mapping: FieldMapping, body: unknown): MappedResult {
  const list = mapping.items ? get(body, mapping.items) : [body];
  if (!Array.isArray(list) || list.length === 0 || list.length > 100) {
    return { ok: false, issues: [{ path: mapping.items ?? '(body)', message: `expected a list of 1 to 100 posts (mapping "${name}")` }] };
  }
  const mentions: MentionInput[] = [];
  const issues: PayloadIssue[] = [];
  list.forEach((item, i) => {
    const prefix = mapping.items ? `${mapping.items}.${i}.` : '';
    const f = mapping.fields;
    const from = new Map<string, string>();
    const val = (key: MappedField, conv: (v: unknown) => unknown = text) => {
      const r = pick(item, f[key]);
      if (!r) return undefined;
      from.set(key, r.from);
      return r.value === undefined || r.value === null || r.value === '' ? undefined : conv(r.value);
    };
    const candidate = {
      source: val('source') ?? name,
      id: val('id'),
      url: val('url'),
      author: { handle: val('authorHandle'), name: val('authorName') },
      text: val('text'),
      postedAt: val('postedAt', toIso),
      product: val('product'),
      toolSentiment: val('toolSentiment'),
      toolQuery: val('toolQuery'),
    };
    const r = mentionInputSchema.safeParse(candidate);
    if (r.success) {
      mentions.push(r.data);
      return;
    }
    for (const issue of r.error.issues) {
      const ours = issue.path.join('.');
      const key = ours === 'author.handle' ? 'authorHandle' : ours === 'author.name' ? 'authorName' : String(issue.path[0] ?? '');
      const theirs = from.get(key);
      issues.push({ path: `${prefix}${theirs && theirs !== '(constant)' ? theirs : ours}`, message: `${issue.message} (mapped to ${ours})` });
    }
  });
  return issues.length ? { ok: false, issues } : { ok: true, mentions };
}
