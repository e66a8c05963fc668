/**
 * Record strings on their way into plain text (the note, "Copy as note", the chart document):
 * one line each, with no character that can fake a line or reorder what a reader sees.
 *
 * - Line breaks of every kind (CR, LF, VT, FF, U+0085 NEL, U+2028, U+2029) and tabs become a
 *   space: a chart viewer that honours NEL would otherwise start a line the record wrote, e.g. a
 *   fake "- Pregnancy test: done" under the real entry.
 * - Other C0 and C1 controls (and DEL) are dropped: they have no text meaning.
 * - Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
 *   direction marks (U+200E, U+200F, U+061C) are dropped: U+202E can show "3.1" as "1.3".
 */

const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/g;
const DIRECTION = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** The text on one line, without controls or direction characters, spaces collapsed. */
export function plainLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROLS, '').replace(DIRECTION, '').replace(/\s+/g, ' ').trim();
}
