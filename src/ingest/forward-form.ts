import { z } from 'zod';
import { handleSchema } from '../domain/mention';
import { parseStatusUrl } from './post-links';

/**
 * A post a rep logs by hand (message shortcut modal, /hcp log): validated like a webhook
 * mention. An X/Twitter status link gives the identity (source "x", the status id); any
 * other http(s) link is identified by its site and canonical URL.
 */
export const forwardFormSchema = z.object({
  url: z
    .string({ error: 'Paste the link to the post.' })
    .trim()
    .min(1, 'Paste the link to the post.')
    .max(2000, 'This link is too long (2,000 characters at most).')
    .refine((u) => /^https?:\/\/[^\s/]+\.[^\s/]+/i.test(u) && URL.canParse(u), 'Enter the post\'s link, starting with https://'),
  handle: handleSchema,
  name: z.string().trim().max(200, 'At most 200 characters.').optional(),
  text: z.string({ error: 'Paste the post\'s text.' }).trim().min(1, 'Paste the post\'s text.').max(10_000, 'At most 10,000 characters.'),
  product: z.string().trim().max(100, 'At most 100 characters.').optional(),
});

export interface PostIdentity {
  source: string;
  id: string;
  url: string;
}

export function identify(url: string): PostIdentity | { error: string } {
  const status = parseStatusUrl(url);
  if (status) return { source: 'x', id: status.id, url: status.url };
  const u = new URL(url);
  const canonical = `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
  if (canonical.length > 128) return { error: 'This link is too long to identify the post; use the post\'s short link.' };
  return { source: u.hostname.toLowerCase().replace(/^www\./, '').slice(0, 32), id: canonical, url };
}
