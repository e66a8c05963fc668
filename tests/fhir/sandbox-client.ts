/**
 * The app's data path outside the browser: the real loader through fhirclient's browser code
 * against the real sandbox over loopback HTTP, then the pure core, as src/ui/bootstrap.ts does.
 */
import FHIR from 'fhirclient/lib/entry/browser';
import type { Resource } from 'fhir/r4';
import { loadPatientData, type LoadedData, type LoaderOptions } from '../../src/fhir/loader';
import { assess, buildRecord } from '../../src/engine';
import type { ReadinessReport, TherapyId } from '../../src/contract/report';
import type { SandboxHandle } from '../../src/sandbox/server';

export const SCOPE = 'launch/patient openid fhirUser patient/*.read';

export function loadFromSandbox(sandbox: SandboxHandle, patient: string, options: LoaderOptions): Promise<LoadedData> {
  const accessToken = sandbox.issueToken({ scope: SCOPE, patient, clientId: 'jak-readiness' });
  const client = FHIR.client({ serverUrl: sandbox.fhirBase, tokenResponse: { access_token: accessToken, patient, scope: SCOPE } } as never);
  return loadPatientData(client, options);
}

export function reportOf(data: LoadedData, patient: string, now: string, therapy?: TherapyId): ReadinessReport {
  const resources: Resource[] = data.patient ? [data.patient, ...data.resources] : data.resources;
  const record = buildRecord({
    resources: resources as never,
    patientId: patient,
    loads: data.loads,
    ...(data.observationsSince ? { observationsSince: data.observationsSince } : {}),
  });
  return assess(record, { now, ...(therapy ? { therapy } : {}) });
}
