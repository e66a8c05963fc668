/**
 * Pass two, for one patient: the bucket lines of that patient -> the same buildRecord + assess
 * as the single-patient command -> one worklist row. Only this patient's resources are parsed
 * at a time.
 */
import type { FhirResource, Patient } from 'fhir/r4';
import { assess } from '../engine/assess';
import type { ConfigOverrides } from '../engine/config';
import { buildRecord } from '../engine/normalise';
import type { LoadedResourceType, LoadStatus } from '../engine/record';
import type { TherapyId } from '../contract/report';
import { agentsOf, rowFromReport, type WorklistRow } from './row';

export interface AssessSettings {
  now: string;
  therapy: TherapyId;
  config?: ConfigOverrides;
  /** How each type loaded for the whole export (a missing file, a file cut short...). */
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  /** The file line number each pass-one slice starts at (minus one), to name unreadable lines. */
  sliceLineStarts: number[];
}

export type PatientOutcome =
  | { kind: 'row'; row: WorklistRow }
  /** Resources that name a patient the export has no Patient resource for. */
  | { kind: 'orphan'; resources: number }
  /** Never dropped silently: a row that says the patient could not be assessed, and why. */
  | { kind: 'failed'; row: WorklistRow; message: string };

const LOADED: ReadonlySet<string> = new Set<LoadedResourceType>(['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest']);

/** Adds a problem to a type's load status: the worst state wins, reasons add up. */
function worsen(loads: Partial<Record<LoadedResourceType, LoadStatus>>, type: LoadedResourceType, reason: string): void {
  const current = loads[type];
  if (!current || current.state === 'complete') loads[type] = { state: 'truncated', reason };
  else loads[type] = { ...current, reason: `${current.reason}; ${reason}` } as LoadStatus;
}

/** `lines`: the text after "<key>\t" of each bucket line of this patient, in export order. */
export function assessPatient(key: string, lines: readonly string[], settings: AssessSettings): PatientOutcome {
  const patientId = key.slice('Patient/'.length);
  const resources: FhirResource[] = [];
  const medicationIds = new Set<string>();
  const loads: Partial<Record<LoadedResourceType, LoadStatus>> = { ...settings.loads };
  let patient: Patient | undefined;
  let patientUnreadable = false;
  for (const line of lines) {
    const tag = line.charCodeAt(0);
    const text = line.slice(2);
    if (tag === 69 /* E */) {
      const [type = '', slice = '0', lineNo = '0', name = ''] = text.split('\t');
      if (type === 'Patient') patientUnreadable = true;
      const line = (settings.sliceLineStarts[Number(slice)] ?? 0) + Number(lineNo);
      if (LOADED.has(type)) worsen(loads, type as LoadedResourceType, `${name} line ${line} could not be read`);
      continue;
    }
    let resource: FhirResource;
    try {
      resource = JSON.parse(text) as FhirResource;
    } catch {
      continue; // pass one checked every line; only a torn bucket file could get here
    }
    if (tag === 77 /* M */) {
      const id = typeof resource.id === 'string' ? resource.id : '';
      if (medicationIds.has(id)) continue;
      medicationIds.add(id);
    } else if (resource.resourceType === 'Patient') {
      patient = resource;
    }
    resources.push(resource);
  }
  if (!patient && !patientUnreadable) return { kind: 'orphan', resources: resources.length };
  try {
    const record = buildRecord({ resources, patientId, loads });
    const report = assess(record, { now: settings.now, therapy: settings.therapy, ...(settings.config ? { config: settings.config } : {}) });
    return { kind: 'row', row: rowFromReport(report) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const row: WorklistRow = {
      patientId, name: null, mrn: null, birthDate: null, age: null, sex: 'unknown', stage: 'pre-start', therapy: settings.therapy,
      verdicts: [], relevantAgents: agentsOf(settings.therapy), todo: [], monitoring: [], couldNotCheck: [`could not be assessed: ${message}`], priority: 1,
    };
    return { kind: 'failed', row, message };
  }
}
