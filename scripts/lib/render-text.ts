/** Renders Block Kit roughly as a person sees it in Slack, for the terminal. */
export function renderAsText(blocks: unknown[]): string {
  const lines: string[] = [];
  for (const b of blocks as any[]) {
    if (b.type === 'section') lines.push(mrkdwnToText(b.text.text));
    else if (b.type === 'context') lines.push(b.elements.map((e: any) => mrkdwnToText(e.text)).join('  ·  ').replace(/^/gm, '  '));
    else if (b.type === 'actions') {
      lines.push(
        b.elements
          .map((e: any) =>
            e.type === 'button'
              ? `[ ${e.style === 'primary' ? '*' : ''}${e.text.text}${e.style === 'primary' ? '*' : ''} ]`
              : e.type === 'overflow'
                ? `[ ⋯ ${e.options.map((o: any) => o.text.text).join(' / ')} ]`
                : `[ ${e.placeholder.text} ▾ ${e.options.map((o: any) => o.text.text).join(' / ')} ]`,
          )
          .join(' '),
      );
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

function mrkdwnToText(s: string): string {
  return s
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/^>/gm, '  │ ');
}
