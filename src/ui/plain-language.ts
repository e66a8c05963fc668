/**
 * Words that never reach a person outside the evidence details (clinical/spec.md R3.8): the
 * knowledge base's verification marks and file names, spec section numbers, regulatory jargon
 * ("PI", "SmPC", "MACE"), and the evidence panel's own technical lines. Tests grep every string
 * the sidebar, the note, the print and the CDS cards show for these.
 */
export const INTERNAL_MARKS = /◐|✖|✔|spec\.md|\bspec R\d|label-facts|not re-read|research notes|\bPI\b|SmPC|MACE|\bLab(?:el)?s §\d|Resource Observation\/|Matched by code \(LOINC/;

/** The first internal mark in a text, for a clear test failure. */
export function internalMark(text: string): string | undefined {
  const match = INTERNAL_MARKS.exec(text);
  if (!match) return undefined;
  const at = match.index;
  return `"${match[0]}" in …${text.slice(Math.max(0, at - 60), at + 60)}…`;
}
