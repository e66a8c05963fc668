/**
 * The loading strategy most SMART apps use, for `npm run bench` to compare against: read the
 * patient, then GET every resource of each type for the patient with the server's default
 * page size, following every `next` link. Types run in parallel; pages within a type cannot
 * (each page's URL comes from the previous one). No server-side filtering at all.
 *
 * Bench only: the app uses it solely in a build made with `mode: 'bench'` (see src/main.tsx);
 * production builds drop it.
 */
import type { Bundle, Patient, Resource } from 'fhir/r4';
import type Client from 'fhirclient/lib/Client';
import type { LoadedResourceType, LoadStatus } from '../engine/record';

export const NAIVE_TYPES = ['Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization'] as const;

/** Far above any real chart (20,000 Observations at 50 a page is 400): only stops a server that pages forever. */
const MAX_PAGES_PER_TYPE = 5000;

export interface NaiveLoadStats {
  requests: number;
  /** Longest chain of requests that waited for each other (the most-paged type, plus none for the parallel start). */
  roundTrips: number;
  ms: number;
}

export interface NaiveLoadedData {
  patient?: Patient;
  resources: Resource[];
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  stats: NaiveLoadStats;
}

interface TypeResult {
  resources: Resource[];
  status: LoadStatus;
  requests: number;
}

function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((link) => link.relation === 'next')?.url;
}

function failure(error: unknown, pages: number, loaded: number): LoadStatus {
  const reason = error instanceof Error ? error.message.split('\n')[0]! : 'request failed';
  return pages === 0 ? { state: 'failed', reason } : { state: 'truncated', reason, loaded };
}

async function readAllPages(client: Client, type: string, patientId: string): Promise<TypeResult> {
  const resources: Resource[] = [];
  let url: string | undefined = `${type}?patient=${encodeURIComponent(patientId)}`;
  let requests = 0;
  while (url) {
    if (requests >= MAX_PAGES_PER_TYPE) {
      return { resources, requests, status: { state: 'truncated', reason: `${type}: more than ${MAX_PAGES_PER_TYPE} pages`, loaded: resources.length } };
    }
    let bundle: Bundle;
    try {
      requests += 1;
      bundle = await client.request<Bundle>(url);
    } catch (error) {
      return { resources, requests, status: failure(error, requests - 1, resources.length) };
    }
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.resourceType === type) resources.push(entry.resource);
    }
    url = nextLink(bundle);
  }
  return { resources, requests, status: { state: 'complete' } };
}

export async function loadNaively(client: Client): Promise<NaiveLoadedData> {
  const started = performance.now();
  const patientId = String(client.patient.id ?? '');
  if (!patientId) throw new Error('No patient in context: the EHR did not say which patient is open.');

  const patientWork = client.request<Patient>(`Patient/${encodeURIComponent(patientId)}`).then(
    (patient) => ({ patient, status: { state: 'complete' } as LoadStatus }),
    (error: unknown) => ({ patient: undefined, status: failure(error, 0, 0) }),
  );
  const [patientResult, ...typeResults] = await Promise.all([patientWork, ...NAIVE_TYPES.map((type) => readAllPages(client, type, patientId))]);

  const loads: Partial<Record<LoadedResourceType, LoadStatus>> = { Patient: patientResult.status };
  NAIVE_TYPES.forEach((type, i) => {
    loads[type] = typeResults[i]!.status;
  });
  const data: NaiveLoadedData = {
    resources: typeResults.flatMap((result) => result.resources),
    loads,
    stats: {
      requests: 1 + typeResults.reduce((sum, result) => sum + result.requests, 0),
      roundTrips: Math.max(1, ...typeResults.map((result) => result.requests)),
      ms: Math.round(performance.now() - started),
    },
  };
  if (patientResult.patient) data.patient = patientResult.patient;
  return data;
}
