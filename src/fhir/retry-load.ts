/**
 * "Try again" (issue 18): re-run only the searches that failed in a load, then merge their answers
 * into it. The searches that worked are not sent again; a type's status is recombined from the
 * statuses of its searches (worst wins), so a type is complete only when all of them now are.
 */
import type { Resource } from 'fhir/r4';
import type Client from 'fhirclient/lib/Client';
import type { LoadedResourceType, LoadStatus } from '../engine/record';
import { combine, loadPatientData, type LoadedData, type LoaderOptions } from './loader';

function dedupe(resources: Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    if (!resource.id) return true;
    const key = `${resource.resourceType}/${resource.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first load with the retried searches' answers in place of the failed ones. */
export function mergeRetry(previous: LoadedData, retried: LoadedData): LoadedData {
  const searches = { ...(previous.searches ?? {}), ...(retried.searches ?? {}) };
  const loads: Partial<Record<LoadedResourceType, LoadStatus>> = { ...previous.loads };
  const byType = new Map<LoadedResourceType, LoadStatus[]>();
  for (const { type, status } of Object.values(searches)) byType.set(type, [...(byType.get(type) ?? []), status]);
  for (const [type, statuses] of byType) loads[type] = combine(statuses);
  const retriedNames = new Set(Object.keys(retried.searches ?? {}));
  const merged: LoadedData = {
    // The retried searches' resources replace nothing: a failed search kept only what it had read.
    resources: dedupe([...previous.resources, ...retried.resources]),
    loads,
    stats: {
      requests: previous.stats.requests + retried.stats.requests,
      roundTrips: retried.stats.roundTrips,
      bytes: previous.stats.bytes + retried.stats.bytes,
      ms: retried.stats.ms,
      notes: [...previous.stats.notes, ...retried.stats.notes],
    },
    searches,
    failedSearches: retried.failedSearches ?? [],
  };
  const patient = retried.patient ?? previous.patient;
  if (patient) merged.patient = patient;
  if (previous.orders) merged.orders = previous.orders;
  // The to-do marks are read with the whole load only (issue 18b): a retry keeps them.
  const savedMarks = retried.savedMarks ?? previous.savedMarks;
  if (savedMarks) merged.savedMarks = savedMarks;
  const observationsSince = retriedNames.has('labResults') ? retried.observationsSince : previous.observationsSince;
  if (observationsSince) merged.observationsSince = observationsSince;
  return merged;
}

/** Runs the previous load's failed searches again (nothing else) and merges the answers. */
export async function retryFailedSearches(client: Client, previous: LoadedData, options: LoaderOptions = {}): Promise<LoadedData> {
  const names = previous.failedSearches ?? [];
  if (names.length === 0) return previous;
  const retried = await loadPatientData(client, { ...options, searches: names });
  return mergeRetry(previous, retried);
}
