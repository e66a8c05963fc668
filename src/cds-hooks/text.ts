/**
 * Text for cards. Card `detail` is Markdown that the EHR renders, and much of it comes from the
 * patient's record (drug names, result displays) which may hold markup: every such string is
 * escaped so it shows as typed and never becomes a link, an image or HTML.
 */

/**
 * Backslash-escapes the Markdown punctuation that could make emphasis, code, links, images, HTML,
 * tables or autolinks (`:` and `.` break `http://` and `www.`), and folds line breaks so record
 * text never starts a line of its own (no list or heading markers).
 */
export function md(text: unknown): string {
  return String(text ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_{}[\]()#+.!|~&:]/g, '\\$&')
    // As entities, not backslash escapes: a renderer that passes HTML through still shows text.
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** CDS Hooks: a card summary is one sentence under 140 characters. */
export const SUMMARY_MAX = 139;

/** Cuts at a word boundary when one is near, with an ellipsis; counts code points, not UTF-16 units. */
export function clip(text: string, max = SUMMARY_MAX): string {
  const single = text.replace(/\s+/g, ' ').trim();
  const chars = [...single];
  if (chars.length <= max) return single;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:—-]+$/, '')}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
