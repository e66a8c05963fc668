/**
 * Puts generated resources into a running sandbox through its FHIR batch endpoint, the way any
 * client would (a `system/*.*` token, PUT with the resource's own id so references hold).
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import type { SandboxHandle } from '../sandbox/server';

/** Entries per batch: large enough to be quick, small enough to keep each request body modest. */
const CHUNK = 2000;

export async function uploadResources(sandbox: SandboxHandle, resources: FhirResource[]): Promise<void> {
  const token = sandbox.issueToken({ scope: 'system/*.*', ttlSeconds: 600 });
  // The Patient first, so every later entry refers to a resource that exists.
  const ordered = [...resources.filter((r) => r.resourceType === 'Patient'), ...resources.filter((r) => r.resourceType !== 'Patient')];
  for (let start = 0; start < ordered.length; start += CHUNK) {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: ordered.slice(start, start + CHUNK).map((resource) => ({
        resource,
        request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` },
      })),
    };
    const response = await fetch(sandbox.fhirBase, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(bundle),
    });
    const body = (await response.json()) as Bundle;
    const failed = (body.entry ?? []).filter((entry) => !/^20[01]/.test(entry.response?.status ?? ''));
    if (!response.ok || failed.length > 0) {
      const example = failed[0]?.response?.status ?? String(response.status);
      throw new Error(`Loading the heavy patient failed: ${failed.length || 'the'} batch entries were refused (e.g. ${example})`);
    }
  }
}
