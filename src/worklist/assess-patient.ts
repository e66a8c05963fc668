/**
 * Pass two, for one patient: the bucket lines of that patient -> the same buildRecord + assess
 * as the single-patient command -> one worklist row. Only this patient's resources are parsed
 * at a time.
 */
import type { FhirResource, Patient } from 'fhir/r4';
import { assess } from '../engine/assess';
import type { ConfigOverrides } from '../engine/config';
import { buildRecord } from '../engine/normalise';
import { LOADED_RESOURCE_TYPES, type LoadedResourceType, type LoadStatus } from '../engine/record';
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
  | { kind: 'row'; row: WorklistRow; repeated?: Record<number, number> }
  /** Resources that name a patient the export has no Patient resource for. */
  | { kind: 'orphan'; resources: number }
  /** Never dropped silently: a row that says the patient could not be assessed, and why. */
  | { kind: 'failed'; row: WorklistRow; message: string };

const LOADED: ReadonlySet<string> = new Set<string>(LOADED_RESOURCE_TYPES);

/** Adds a problem to a type's load status: the worst state wins, reasons add up. */
function lastUpdated(resource: FhirResource): number {
  const t = typeof resource.meta?.lastUpdated === 'string' ? Date.parse(resource.meta.lastUpdated) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

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
  // Repeated ids (a server that exports a resource twice): one copy kept, by buildRecord's own
  // rule (the later meta.lastUpdated, else the later line), and counted per slice for the
  // summary. The data is all there, so this is no gap on the row.
  const slotOf = new Map<string, number>();
  const repeated: Record<number, number> = {};
  for (const line of lines) {
    const tag = line.charCodeAt(0);
    let text = line.slice(2);
    let slice = -1;
    if (tag === 82 /* R */) {
      const tab = line.indexOf('\t');
      slice = Number(line.slice(1, tab));
      text = line.slice(tab + 1);
    }
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
    } else if (typeof resource.id === 'string' && resource.id) {
      const id = `${resource.resourceType}/${resource.id}`;
      const slot = slotOf.get(id);
      if (slot !== undefined) {
        repeated[slice] = (repeated[slice] ?? 0) + 1;
        if (lastUpdated(resource) < lastUpdated(resources[slot]!)) continue;
        resources[slot] = resource;
        if (resource.resourceType === 'Patient') patient = resource;
        continue;
      }
      slotOf.set(id, resources.length);
    }
    if (tag !== 77 && resource.resourceType === 'Patient') patient = resource as Patient;
    resources.push(resource);
  }
  if (!patient && !patientUnreadable) return { kind: 'orphan', resources: resources.length };
  try {
    const record = buildRecord({ resources, patientId, loads });
    const report = assess(record, { now: settings.now, therapy: settings.therapy, ...(settings.config ? { config: settings.config } : {}) });
    return { kind: 'row', row: rowFromReport(report), ...(Object.keys(repeated).length ? { repeated } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const row: WorklistRow = {
      patientId, name: null, mrn: null, birthDate: null, age: null, sex: 'unknown', stage: 'pre-start', therapy: settings.therapy,
      verdicts: [], relevantAgents: agentsOf(settings.therapy), todo: [], monitoring: [], abnormal: [], couldNotCheck: [`could not be assessed: ${message}`], priority: 1,
    };
    return { kind: 'failed', row, message };
  }
}
