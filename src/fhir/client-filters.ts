/**
 * The server-side search criteria re-applied in the app, for servers that reject a search
 * parameter: the fallback search is broader, these keep the result the same as the narrow one.
 * Each mirrors FHIR token/date search semantics closely enough for our parameters.
 */
import type { CodeableConcept, Resource } from 'fhir/r4';

export type ResourceFilter = (resource: Resource) => boolean;

function codings(concept: CodeableConcept | undefined): { system?: string; code?: string }[] {
  return Array.isArray(concept?.coding) ? concept.coding : [];
}

/** `system|code` tokens; a token without `|` matches the code in any system. */
export function codeIn(tokens: readonly string[]): ResourceFilter {
  const withSystem = new Set(tokens.filter((t) => t.includes('|')));
  const bare = new Set(tokens.filter((t) => !t.includes('|')));
  return (resource) =>
    codings((resource as { code?: CodeableConcept }).code).some(
      (coding) =>
        coding.code !== undefined &&
        (withSystem.has(`${coding.system ?? ''}|${coding.code}`) || bare.has(coding.code)),
    );
}

export function categoryIs(code: string): ResourceFilter {
  return (resource) => {
    const categories = (resource as { category?: CodeableConcept[] }).category;
    return Array.isArray(categories) && categories.some((c) => codings(c).some((coding) => coding.code === code));
  };
}

/**
 * `date=ge<floor>` on Observation searches the effective time; a resource without one does
 * not match on the server either.
 */
export function effectiveOnOrAfter(floor: string): ResourceFilter {
  return (resource) => {
    const r = resource as {
      effectiveDateTime?: string;
      effectiveInstant?: string;
      effectivePeriod?: { start?: string; end?: string };
    };
    const date = r.effectiveDateTime ?? r.effectiveInstant ?? r.effectivePeriod?.end ?? r.effectivePeriod?.start;
    return typeof date === 'string' && date.slice(0, 10) >= floor;
  };
}

export function statusIn(statuses: readonly string[]): ResourceFilter {
  const allowed = new Set(statuses);
  return (resource) => {
    const status = (resource as { status?: unknown }).status;
    return typeof status === 'string' && allowed.has(status);
  };
}

export function allOf(filters: readonly ResourceFilter[]): ResourceFilter | undefined {
  if (filters.length === 0) return undefined;
  return (resource) => filters.every((filter) => filter(resource));
}
