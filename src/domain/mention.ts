import { z } from 'zod';

/**
 * A mention as it enters the product, whichever door it came in by (webhook, intake
 * channel, shortcut, /hcp log). Its identity is (source, id): the post's id at its source.
 */
export const handleSchema = z
  .string({ error: 'required: the author\'s handle' })
  .trim()
  .transform((h) => h.replace(/^@+/, ''))
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .regex(/^[^\s<>&]*$/, 'must not contain spaces or <, >, &'),
  );

export const mentionInputSchema = z.object({
  source: z.string().trim().min(1, 'must not be empty').max(32, 'must be at most 32 characters').default('x'),
  id: z
    .union([z.string(), z.number().int().nonnegative()], { error: 'required: the post\'s id at its source' })
    .transform(String)
    .pipe(z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters')),
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http(s) URL' })
    .max(2000, 'must be at most 2000 characters')
    .optional(),
  author: z.object(
    {
      handle: handleSchema,
      name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    },
    { error: 'required: an object with the author\'s handle (and optional name)' },
  ),
  text: z
    .string({ error: 'required: the post\'s text' })
    .min(1, 'must not be empty')
    .max(10_000, 'must be at most 10,000 characters'),
  postedAt: z.iso
    .datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-26T10:00:00Z' })
    .optional(),
  product: z.string().trim().min(1).max(100, 'must be at most 100 characters').optional(),
  /** The listening tool's own sentiment label, kept beside ours and shown on the card. */
  toolSentiment: z.string().trim().min(1).max(32, 'must be at most 32 characters').optional(),
  /** The tool's query, topic or rule that matched the post. */
  toolQuery: z.string().trim().min(1).max(200, 'must be at most 200 characters').optional(),
});

export type MentionInput = z.output<typeof mentionInputSchema>;

/** How a mention reached us: shown on the card and kept for metrics. */
export type Channel = 'webhook' | 'intake' | 'shortcut' | 'command';

export interface NewMention {
  source: string;
  externalId: string;
  url: string | null;
  authorHandle: string;
  authorName: string | null;
  text: string;
  postedAt: string;
  product: string | null;
  via: Channel;
  /** Slack user who forwarded it, for mentions logged from inside Slack. */
  reportedBy: string | null;
  /** True when the text is the rep's own words (no preview of the post was available). */
  textFromReporter: boolean;
  /** The listening tool's own sentiment label and matching query, when it sent them. */
  toolSentiment?: string | null;
  toolQuery?: string | null;
}

export function toNewMention(input: MentionInput, via: Channel, receivedAt: Date, reportedBy: string | null = null): NewMention {
  return {
    source: input.source.toLowerCase(),
    externalId: input.id,
    url: input.url ?? null,
    authorHandle: input.author.handle,
    authorName: input.author.name || null,
    text: input.text,
    postedAt: input.postedAt ? new Date(input.postedAt).toISOString() : receivedAt.toISOString(),
    product: input.product ?? null,
    via,
    reportedBy,
    textFromReporter: false,
    toolSentiment: input.toolSentiment ?? null,
    toolQuery: input.toolQuery ?? null,
  };
}

export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const sentimentWord = (s: Sentiment): string => s[0]!.toUpperCase() + s.slice(1);
