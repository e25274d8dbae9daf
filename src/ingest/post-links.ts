/**
 * Finding posts in what reps share in Slack: X/Twitter status links (and the mirrors people
 * paste) and Slack's link previews of them. Pure functions over Slack's message shapes.
 */
export interface StatusLink {
  handle: string;
  id: string;
  /** Canonical https://x.com/<handle>/status/<id>. */
  url: string;
}

const STATUS_URL =
  /^https?:\/\/(?:www\.|mobile\.|m\.)?(?:x\.com|twitter\.com|fxtwitter\.com|vxtwitter\.com|fixupx\.com|fixvx\.com)\/([A-Za-z0-9_]{1,15})\/status(?:es)?\/(\d{1,25})(?:[/?#].*)?$/i;

/** Slack escapes &, < and > in message text and URLs. */
export const unescapeSlack = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

export function parseStatusUrl(raw: string): StatusLink | null {
  const m = STATUS_URL.exec(unescapeSlack(raw.trim()));
  if (!m) return null;
  const [, handle, id] = m as unknown as [string, string, string];
  return { handle, id, url: `https://x.com/${handle}/status/${id}` };
}

/** Every status link in a Slack message text (`<url>` or `<url|label>`), or in bare URLs. */
export function findStatusLinks(text: string | undefined): StatusLink[] {
  if (!text) return [];
  const urls = [...text.matchAll(/<(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!);
  urls.push(...[...text.replace(/<[^>]*>/g, ' ').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]));
  const seen = new Set<string>();
  const out: StatusLink[] = [];
  for (const u of urls) {
    const link = parseStatusUrl(u);
    if (link && !seen.has(link.id)) {
      seen.add(link.id);
      out.push(link);
    }
  }
  return out;
}

export interface SlackAttachment {
  original_url?: string;
  from_url?: string;
  title?: string;
  title_link?: string;
  text?: string;
  author_name?: string;
  author_subname?: string;
  author_link?: string;
  service_name?: string;
  ts?: number | string;
}

export interface PostPreview {
  handle: string;
  name: string | null;
  text: string;
  postedAt: string | null;
}

/** Slack's unfurl of the post with this id, if the message carries one with text. */
export function previewFor(link: StatusLink, attachments: SlackAttachment[] | undefined): PostPreview | null {
  for (const a of attachments ?? []) {
    const urls = [a.original_url, a.from_url, a.title_link, a.author_link].filter((u): u is string => Boolean(u));
    if (!urls.some((u) => parseStatusUrl(u)?.id === link.id)) continue;
    if (!a.text?.trim()) continue;
    // Current X style: title "Name (@handle) on X"; older style: author_name + author_subname "@handle".
    const titled = /^(.*?)\s*\(@([A-Za-z0-9_]{1,15})\)(?:\s+on\s+(?:X|Twitter))?\s*$/.exec(unescapeSlack(a.title ?? ''));
    const handle = titled?.[2] ?? a.author_subname?.replace(/^@/, '') ?? link.handle;
    const name = titled?.[1]?.trim() || (a.author_name ? unescapeSlack(a.author_name) : null);
    const postedAt = a.ts !== undefined && Number.isFinite(Number(a.ts)) ? new Date(Number(a.ts) * 1000).toISOString() : null;
    return { handle, name, text: unescapeSlack(a.text).slice(0, 10_000), postedAt };
  }
  return null;
}

/** The rep's own words around the link: the message text without the link itself. */
export const messageTextWithoutLinks = (text: string | undefined): string =>
  unescapeSlack((text ?? '').replace(/<https?:\/\/[^>]+>/g, ' ').replace(/<[@#!][^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
