/**
 * "The full text stays one click away": the record keeps at most 500 characters of any string
 * (src/engine/normalise/json.ts), so an evidence line may end in "…". Its resource, as loaded,
 * is looked up only when the user asks, and its long texts are shown in a bounded scroll box.
 */
import type { Resource } from 'fhir/r4';

/** Texts longer than the record keeps (src/engine/normalise/json.ts MAX_TEXT_LENGTH). */
const LONGER_THAN = 500;
/** What one box shows: a 100 KB pasted report in full; beyond that the EHR has the rest. */
export const SHOWN_CHARACTERS = 100_000;
const MAX_FIELDS = 10;
const MAX_DEPTH = 12;

export interface LongText {
  /** Where in the resource, e.g. `valueString`, `code.coding[0].display`. */
  path: string;
  /** The text, cut at SHOWN_CHARACTERS. */
  text: string;
  /** The full length in characters. */
  length: number;
}

export type FullTextLookup = (reference: string) => LongText[];

/** True when an evidence text was cut by the record (ends in "…" at the length limit). */
export function wasCut(text: string | undefined): boolean {
  return text !== undefined && text.length >= LONGER_THAN && text.endsWith('…');
}

function collect(value: unknown, path: string, depth: number, out: LongText[]): void {
  if (out.length >= MAX_FIELDS || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (value.length > LONGER_THAN) out.push({ path, text: value.slice(0, SHOWN_CHARACTERS), length: value.length });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => collect(item, `${path}[${index}]`, depth + 1, out));
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      // Narrative is markup, never rendered (and its text repeats the data).
      if (depth === 0 && key === 'text') continue;
      collect(item, path ? `${path}.${key}` : key, depth + 1, out);
    }
  }
}

/** The lookup over the loaded resources; the index is built on the first click, not at load. */
export function fullTextLookup(resources: readonly Resource[]): FullTextLookup {
  let byReference: Map<string, Resource> | undefined;
  return (reference) => {
    byReference ??= new Map(resources.filter((r) => typeof r.id === 'string').map((r) => [`${r.resourceType}/${r.id}`, r]));
    const resource = byReference.get(reference);
    if (!resource) return [];
    const out: LongText[] = [];
    collect(resource, '', 0, out);
    return out;
  };
}
