/**
 * How each resource type loaded for the whole export, so that a report says "could not check"
 * instead of "missing" or "none" when the export does not hold the data.
 *
 * Decision (the spec is silent): a type with no file counts as exported-and-empty only when the
 * folder's manifest.json shows the export asked for it (Bulk Data servers write no file for a
 * type with no resources). Without a manifest, a missing file means the type was not exported:
 * what depends on it is "could not check", never "none found".
 */
import type { ExportFolder } from '../bulk/export-folder';
import type { LoadedResourceType, LoadStatus } from '../engine/record';

export const WORKLIST_TYPES: readonly LoadedResourceType[] = ['Patient', 'Condition', 'Observation', 'MedicationRequest', 'MedicationStatement', 'Immunization', 'ServiceRequest'];

export interface TypeLoads {
  loads: Partial<Record<LoadedResourceType, LoadStatus>>;
  /** For the summary: why a type counts as it does when it has no file. */
  notes: string[];
}

export function exportLoads(folder: ExportFolder, exportErrors: readonly string[]): TypeLoads {
  const loads: TypeLoads['loads'] = {};
  const notes: string[] = [];
  const present = new Set(folder.files.map((f) => f.type));
  for (const type of WORKLIST_TYPES) {
    if (present.has(type)) {
      loads[type] = { state: 'complete' };
      continue;
    }
    const requested = folder.manifest ? !folder.manifest.requestedTypes || folder.manifest.requestedTypes.includes(type) : false;
    if (requested) {
      loads[type] = { state: 'complete' };
      notes.push(`no ${type} file: the export's manifest asked for ${type}, so there are none`);
    } else {
      const reason = folder.manifest ? `${type} was not part of the export` : `no ${type} file in the export folder`;
      loads[type] = { state: 'failed', reason };
      notes.push(`${reason}: what depends on it is "could not check"`);
    }
  }
  if (exportErrors.length > 0) {
    const reason = `the server reported ${exportErrors.length === 1 ? 'an error' : `${exportErrors.length} errors`} during the export (${exportErrors[0]}${exportErrors.length > 1 ? '; …' : ''})`;
    for (const type of WORKLIST_TYPES) {
      const current = loads[type]!;
      loads[type] = current.state === 'complete' ? { state: 'truncated', reason } : current;
    }
  }
  return { loads, notes };
}

/** Adds whole-export faults (a file cut short, unreadable lines of unknown patients) to the loads. */
export function withFaults(
  loads: Partial<Record<LoadedResourceType, LoadStatus>>,
  faults: Partial<Record<string, string[]>>,
): Partial<Record<LoadedResourceType, LoadStatus>> {
  const out = { ...loads };
  for (const type of WORKLIST_TYPES) {
    const messages = faults[type];
    if (!messages?.length) continue;
    const current = out[type];
    const reason = messages.join('; ');
    out[type] = !current || current.state === 'complete' ? { state: 'truncated', reason } : ({ ...current, reason: `${current.reason}; ${reason}` } as LoadStatus);
  }
  return out;
}
