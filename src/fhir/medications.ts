/**
 * Medications referenced by prescriptions/statements that neither came in the resource
 * (contained) nor in the Bundle (_include): read by id, all in parallel, in one more round trip.
 */
import type { Resource } from 'fhir/r4';
import { getWithRetry, type RequestContext } from './request-context';

function medicationReference(resource: Resource): string | undefined {
  const reference = (resource as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
  return typeof reference === 'string' ? reference : undefined;
}

/**
 * The ids of `Medication/<id>` references on this server that are still missing.
 * Contained (`#id`) and references to other servers are left to the normaliser, which marks
 * them unresolved when it cannot find them.
 */
export function missingMedicationIds(
  requests: readonly Resource[],
  known: readonly Resource[],
  serverUrl: string,
): string[] {
  const knownIds = new Set(known.filter((r) => r.resourceType === 'Medication' && r.id).map((r) => r.id));
  const base = serverUrl.replace(/\/+$/, '');
  const missing = new Set<string>();
  for (const resource of requests) {
    let reference = medicationReference(resource);
    if (!reference || reference.startsWith('#')) continue;
    if (reference.startsWith(`${base}/`)) reference = reference.slice(base.length + 1);
    const match = /^Medication\/([A-Za-z0-9\-.]{1,64})(\/_history\/[^/]+)?$/.exec(reference);
    if (match && !knownIds.has(match[1]!)) missing.add(match[1]!);
  }
  return [...missing];
}

export interface MedicationReads {
  medications: Resource[];
  trips: number;
  notes: string[];
}

export async function readMedications(ctx: RequestContext, ids: readonly string[], limit: number): Promise<MedicationReads> {
  const notes: string[] = [];
  const wanted = ids.slice(0, limit);
  if (ids.length > limit) notes.push(`Medication: ${ids.length - limit} referenced medications were not read (limit ${limit}).`);
  const results = await Promise.all(wanted.map((id) => getWithRetry(ctx, `Medication/${encodeURIComponent(id)}`)));
  const medications: Resource[] = [];
  let failures = 0;
  for (const { response } of results) {
    const body = response.ok ? (response.body as Resource | undefined) : undefined;
    if (body && typeof body === 'object' && body.resourceType === 'Medication') medications.push(body);
    else failures += 1;
  }
  if (failures > 0) notes.push(`Medication: ${failures} referenced medication${failures === 1 ? '' : 's'} could not be read.`);
  return { medications, trips: results.reduce((max, r) => Math.max(max, r.trips), 0), notes };
}
