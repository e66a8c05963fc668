/**
 * Safe readers for untrusted JSON: a record from an EHR may hold any type in any field, so every
 * read checks the type instead of trusting the FHIR schema.
 */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Longest text kept from any one string of a record; the rest is cut with "…". */
export const MAX_TEXT_LENGTH = 500;

/**
 * Every string a record keeps passes through here. A record may carry a 100 KB or 5 MB string
 * (a pasted report, a hostile server); matching and rendering such text froze the sidebar, and
 * no rule needs more than a few hundred characters. The source resource keeps the whole text.
 */
export function bounded(text: string): string {
  if (text.length <= MAX_TEXT_LENGTH) return text;
  // Never split a surrogate pair (an emoji would end in a broken character).
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MAX_TEXT_LENGTH - 1)) ? MAX_TEXT_LENGTH - 1 : MAX_TEXT_LENGTH;
  return `${text.slice(0, end)}…`;
}

/** A trimmed, non-empty string (at most MAX_TEXT_LENGTH characters and "…"), else undefined. */
export function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = bounded(value.trim());
  return t === '' ? undefined : t;
}

export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
