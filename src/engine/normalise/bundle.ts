/**
 * Reading a Bundle file (any Bundle.type: collection, transaction, transaction-response, batch,
 * batch-response, searchset, history, document, message) into plain resources, and choosing
 * the patient. Each resource remembers its entry's fullUrl (see references.ts), so `urn:uuid:`
 * references keep resolving after the bundle is gone. Bundles nested inside (e.g. a message
 * carrying a document) are read too.
 */
import type { FhirResource, Patient } from 'fhir/r4';
import { rememberFullUrl } from './references';

type Resource = FhirResource;

export type BundleErrorKind = 'not-a-bundle' | 'no-patient' | 'several-patients' | 'patient-not-found';

export class BundleError extends Error {
  readonly kind: BundleErrorKind;

  constructor(kind: BundleErrorKind, message: string) {
    super(message);
    this.name = 'BundleError';
    this.kind = kind;
  }
}

export interface BundleContents {
  resources: Resource[];
  /** fullUrl -> resource, for entries that have a fullUrl. */
  fullUrls: Map<string, Resource>;
}

/** Nesting deeper than this is not a real-world shape; stop rather than recurse without end. */
const MAX_NESTING = 4;

function isResource(value: unknown): value is Resource {
  return (
    !!value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string'
  );
}

function collect(bundle: Record<string, unknown>, into: BundleContents, depth: number): void {
  const entries = bundle.entry;
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const resource = (entry as { resource?: unknown }).resource;
    if (!isResource(resource)) continue;
    const fullUrl = (entry as { fullUrl?: unknown }).fullUrl;
    if (typeof fullUrl === 'string' && fullUrl.trim()) {
      rememberFullUrl(resource, fullUrl.trim());
      into.fullUrls.set(fullUrl.trim(), resource);
    }
    if (resource.resourceType === 'Bundle' && depth < MAX_NESTING) {
      collect(resource as unknown as Record<string, unknown>, into, depth + 1);
    } else {
      into.resources.push(resource);
    }
  }
}

function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'a JSON array';
  if (typeof json !== 'object') return `a ${typeof json}`;
  const type = (json as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' ? `a ${type} resource` : 'a JSON object without resourceType';
}

/** The resources and fullUrl map of a Bundle; throws BundleError('not-a-bundle') otherwise. */
export function readBundle(json: unknown): BundleContents {
  if (!json || typeof json !== 'object' || (json as { resourceType?: unknown }).resourceType !== 'Bundle') {
    throw new BundleError('not-a-bundle', `The file is not a FHIR Bundle (it is ${describe(json)}).`);
  }
  const contents: BundleContents = { resources: [], fullUrls: new Map() };
  collect(json as Record<string, unknown>, contents, 0);
  return contents;
}

export function resourcesFromBundle(json: unknown): Resource[] {
  return readBundle(json).resources;
}

/** The distinct Patient resources (by id; a later copy of the same id replaces the earlier). */
function patientsIn(resources: readonly Resource[]): Patient[] {
  const byId = new Map<string, Patient>();
  let anonymous = 0;
  for (const r of resources) {
    if (!r || typeof r !== 'object' || r.resourceType !== 'Patient') continue;
    const id = typeof r.id === 'string' && r.id ? r.id : `#anonymous-${anonymous++}`;
    byId.set(id, r);
  }
  return [...byId.values()];
}

/**
 * The patient the record is about: the one with `patientId`, or the only one there is.
 * Throws BundleError with a message the user can act on.
 */
export function selectPatient(resources: readonly Resource[], patientId?: string): Patient {
  const patients = patientsIn(resources);
  if (patientId !== undefined && patientId !== '') {
    const found = patients.find((p) => p.id === patientId);
    if (!found) {
      const known = patients.map((p) => p.id ?? '(no id)').join(', ');
      throw new BundleError(
        'patient-not-found',
        `Patient ${patientId} is not in the file${patients.length ? ` (it holds: ${known})` : ''}.`,
      );
    }
    return found;
  }
  if (patients.length === 0) throw new BundleError('no-patient', 'The file holds no Patient resource.');
  if (patients.length > 1) {
    const ids = patients.map((p) => p.id ?? '(no id)').join(', ');
    throw new BundleError(
      'several-patients',
      `The file holds ${patients.length} patients (${ids}); choose one by its id.`,
    );
  }
  return patients[0] as Patient;
}
