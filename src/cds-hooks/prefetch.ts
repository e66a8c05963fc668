/**
 * Prefetch: the app loader's own searches (src/fhir/search-plan.ts: same codes, statuses, lab
 * category and date floor, values encoded by the same `searchUrl`) written as CDS Hooks prefetch
 * templates, and the reading of what an EHR sends back under those keys.
 *
 * A prefetch key the EHR left out means "not provided" (the service then fetches it itself or
 * answers 412); `null` means "nothing to send" (CDS Hooks 2.0: no data for the template); an
 * OperationOutcome, a Bundle with a next page, or anything else means the type did not load and
 * the items that depend on it are `unknown`.
 */
import type { Bundle, Resource } from 'fhir/r4';
import type { LoadedResourceType, LoadStatus } from '../engine/record';
import { operationOutcomeText } from '../fhir/http';
import { OBSERVATION_SEARCH_CODES } from '../kb/observation-codes';
import { buildSearchPlans, searchUrl, type SearchPlan } from '../fhir/search-plan';

/** A placeholder made of characters `searchUrl` leaves alone, swapped for the prefetch token afterwards. */
const PATIENT_PLACEHOLDER = 'PATIENTIDPLACEHOLDER';
export const PATIENT_TOKEN = '{{context.patientId}}';

export interface PrefetchKey {
  key: string;
  type: LoadedResourceType;
  /** A single read (Patient) rather than a search. */
  read?: boolean;
}

/** The loader's searches as it sends them, with the patient placeholder and no page size. */
function loaderPlans(labsSince: string): SearchPlan[] {
  return buildSearchPlans({
    patientId: PATIENT_PLACEHOLDER,
    observationCodes: OBSERVATION_SEARCH_CODES,
    labCategory: 'laboratory',
    labsSince,
    pageSize: 0,
    includeMedications: true,
  });
}

/** The patient read, then one key per loader search, named as the search (three for Observations). */
export const PREFETCH_KEYS: readonly PrefetchKey[] = [
  { key: 'patient', type: 'Patient', read: true },
  // The date changes only the templates' values, never which searches there are.
  ...loaderPlans('2000-01-01').map((plan) => ({ key: plan.name, type: plan.type })),
];

/**
 * The prefetch templates for labs searched from `labsSince` (YYYY-MM-DD). `_count` is left out:
 * a prefetch answer has no next page, so a page size would silently cut it.
 */
export function prefetchTemplates(labsSince: string): Record<string, string> {
  const templates: Record<string, string> = { patient: `Patient/${PATIENT_TOKEN}` };
  for (const plan of loaderPlans(labsSince)) {
    const params = plan.levels[0]!.params.filter(([name]) => name !== '_count');
    templates[plan.name] = searchUrl(plan.type, params).replace(PATIENT_PLACEHOLDER, PATIENT_TOKEN);
  }
  return templates;
}

/** What one prefetch key gave. */
export type PrefetchEntry =
  | { kind: 'absent' }
  | { kind: 'loaded'; resources: Resource[]; included: Resource[] }
  | { kind: 'failed'; status: LoadStatus };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The type a search key returns (its `_include`d Medications come back apart). */
function readSearch(value: Record<string, unknown>, type: LoadedResourceType, key: string): PrefetchEntry {
  const bundle = value as unknown as Bundle;
  if (Array.isArray(bundle.link) && bundle.link.some((link) => link?.relation === 'next')) {
    return { kind: 'failed', status: { state: 'truncated', reason: `the EHR's prefetch "${key}" has more pages than it sent` } };
  }
  const resources: Resource[] = [];
  const included: Resource[] = [];
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource)) continue;
    if (resource.resourceType === type) resources.push(resource as unknown as Resource);
    else if (resource.resourceType === 'Medication') included.push(resource as unknown as Resource);
    // OperationOutcome entries (search.mode "outcome") are warnings about the search, not data.
  }
  return { kind: 'loaded', resources, included };
}

export function readPrefetchEntry(prefetch: Record<string, unknown> | undefined, spec: PrefetchKey): PrefetchEntry {
  if (!prefetch || !Object.hasOwn(prefetch, spec.key) || prefetch[spec.key] === undefined) return { kind: 'absent' };
  const value = prefetch[spec.key];
  if (value === null) {
    // "No data for this template": an empty search, but a Patient read with nothing is no patient.
    return spec.read ? { kind: 'absent' } : { kind: 'loaded', resources: [], included: [] };
  }
  if (!isObject(value)) return { kind: 'failed', status: { state: 'failed', reason: `the EHR's prefetch "${spec.key}" is not a FHIR resource` } };
  if (value.resourceType === 'OperationOutcome') {
    const text = operationOutcomeText(value);
    return { kind: 'failed', status: { state: 'failed', reason: `the EHR could not prefetch "${spec.key}"${text ? `: ${text}` : ''}` } };
  }
  if (spec.read) {
    if (value.resourceType !== spec.type) return { kind: 'failed', status: { state: 'failed', reason: `the EHR's prefetch "${spec.key}" is not a ${spec.type}` } };
    return { kind: 'loaded', resources: [value as unknown as Resource], included: [] };
  }
  if (value.resourceType !== 'Bundle') return { kind: 'failed', status: { state: 'failed', reason: `the EHR's prefetch "${spec.key}" is not a search Bundle` } };
  return readSearch(value, spec.type, spec.key);
}
