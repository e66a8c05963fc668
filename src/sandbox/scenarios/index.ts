/** Scenario patients for the sandbox EHR, all dated relative to `today`. */
import type { Practitioner, Resource } from 'fhir/r4';
import { buildCatalog, type Scenario } from './catalog';

export type { Scenario } from './catalog';
export { HEAVY_RECORD_ID, HEAVY_OBSERVATIONS, HEAVY_CONDITIONS, HEAVY_MEDICATIONS } from './heavy-record';

export function buildScenarios(today: Date = new Date()): Scenario[] {
  return buildCatalog(today);
}

/** Resources every chart refers to (the signed-in clinician). */
export function sharedResources(): Resource[] {
  const clinician: Practitioner = {
    resourceType: 'Practitioner',
    id: 'sandbox-clinician',
    name: [{ family: 'Clinician', given: ['Sandbox'], prefix: ['Dr.'] }],
    active: true,
  };
  return [clinician];
}
