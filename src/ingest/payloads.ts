import { z } from 'zod';
import { handleSchema, mentionInputSchema, type MentionInput } from '../domain/mention';

/**
 * The webhook's three body shapes (CONTRACT.md, "The webhook"): one mention, a batch of
 * 1-100, or an X API v2 post payload. Each becomes a list of MentionInput.
 */
const batchSchema = z.object({
  mentions: z.array(mentionInputSchema).min(1, 'must hold at least 1 mention').max(100, 'must hold at most 100 mentions'),
});

const xPostSchema = z.object({
  id: z.string({ error: 'required: the post id' }).min(1).max(128),
  text: z.string({ error: 'required: the post text' }).min(1, 'must not be empty').max(10_000, 'must be at most 10,000 characters'),
  author_id: z.string({ error: 'required: the author id' }).min(1),
  created_at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time' }).optional(),
});

const xUserSchema = z.object({
  id: z.string({ error: 'required' }).min(1),
  // Checked here, with its own path, so a bad one is a 400 naming it (not an error thrown later).
  username: handleSchema,
  name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
});

const xPayloadSchema = z
  .object({
    data: z.union([xPostSchema, z.array(xPostSchema).min(1, 'must hold at least 1 post').max(100, 'must hold at most 100 posts')]),
    includes: z.object({ users: z.array(xUserSchema) }, { error: 'required: includes.users with each post\'s author' }),
    // The filtered stream says which rules matched; their tags name the query on the card.
    matching_rules: z.array(z.object({ id: z.union([z.string(), z.number()]).optional(), tag: z.string().nullish() })).optional(),
  })
  .superRefine((p, ctx) => {
    const posts = Array.isArray(p.data) ? p.data : [p.data];
    posts.forEach((post, i) => {
      if (!p.includes.users.some((u) => u.id === post.author_id)) {
        ctx.addIssue({
          code: 'custom',
          path: Array.isArray(p.data) ? ['data', i, 'author_id'] : ['data', 'author_id'],
          message: `no user with id ${post.author_id} in includes.users`,
        });
      }
    });
  })
  .transform((p, ctx): MentionInput[] => {
    const posts = Array.isArray(p.data) ? p.data : [p.data];
    const out: MentionInput[] = [];
    posts.forEach((post, i) => {
      const user = p.includes.users.find((u) => u.id === post.author_id)!;
      const r = mentionInputSchema.safeParse({
        source: 'x',
        id: post.id,
        url: `https://x.com/${user.username}/status/${post.id}`,
        author: { handle: user.username, name: user.name },
        text: post.text,
        postedAt: post.created_at,
        toolQuery: ruleTags(p.matching_rules),
      });
      // Whatever the mapped mention still breaks is reported as an issue of that post, never thrown.
      if (r.success) out.push(r.data);
      else for (const issue of r.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, path: [...(Array.isArray(p.data) ? ['data', i] : ['data']), ...issue.path], input: post });
    });
    return out;
  });

const ruleTags = (rules: { tag?: string | null }[] | undefined): string | undefined => {
  const tags = [...new Set((rules ?? []).map((r) => r.tag?.trim()).filter((t): t is string => Boolean(t)))];
  return tags.length ? `X rule ${tags.join(', ')}`.slice(0, 200) : undefined;
};

export type PayloadIssue = { path: string; message: string };

export type ParsedPayload = { ok: true; mentions: MentionInput[] } | { ok: false; issues: PayloadIssue[] };

const toIssues = (error: z.ZodError): PayloadIssue[] =>
  error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));

/** Picks the shape by its top-level keys, then validates it fully, listing every issue. */
export function parseMentionPayload(body: unknown): ParsedPayload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '(body)', message: 'expected a JSON object: one mention, {"mentions": [...]}, or an X API v2 payload' }] };
  }
  if ('data' in body) {
    const r = xPayloadSchema.safeParse(body);
    return r.success ? { ok: true, mentions: r.data } : { ok: false, issues: toIssues(r.error) };
  }
  if ('mentions' in body) {
    const r = batchSchema.safeParse(body);
    return r.success ? { ok: true, mentions: r.data.mentions } : { ok: false, issues: toIssues(r.error) };
  }
  const r = mentionInputSchema.safeParse(body);
  return r.success ? { ok: true, mentions: [r.data] } : { ok: false, issues: toIssues(r.error) };
}
