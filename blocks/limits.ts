/** Block Kit limits (../shared/reference/slack-platform.md §4) that our builders must keep. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  optionText: 75,
  optionValue: 75,
  fallbackText: 3900,
} as const;

/** Cuts to `max` characters, marking the cut with an ellipsis. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

/**
 * Cuts user text before escaping so that the escaped result fits `max`, never splitting an
 * entity such as `&amp;`.
 */
export function truncateEscaped(raw: string, max: number, escape: (s: string) => string): { text: string; cut: boolean } {
  let escaped = escape(raw);
  if (escaped.length <= max) return { text: escaped, cut: false };
  let keep = Math.min(raw.length, max);
  // Shrink in proportion to the overshoot: text dense in & or < grows up to 5-fold when escaped.
  for (;;) {
    escaped = escape(raw.slice(0, keep));
    if (escaped.length <= max - 1 || keep === 0) break;
    const over = escaped.length - (max - 1);
    keep = Math.max(0, keep - Math.max(1, Math.ceil((over * keep) / escaped.length)));
  }
  return { text: `${escaped.trimEnd()}…`, cut: true };
}
